// A small file holding exactly one record (hard state, snapshot), replaced atomically.

import { readFile } from 'node:fs/promises';
import { CorruptRecordError, decodeRecords, encodeRecord } from './record-format.js';
import { writeFileAtomic, type DurabilityOptions } from './durable-file.js';

/** The payload of the file, or null when it does not exist. */
export async function readRecordFile(path: string): Promise<unknown | null> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const decoded = decodeRecords(buffer, path);
  if (decoded.tornTail !== null || decoded.payloads.length !== 1) {
    const reason = decoded.tornTail?.reason ?? `expected exactly one record, found ${decoded.payloads.length}`;
    throw new CorruptRecordError(path, decoded.tornTail?.offset ?? 0, reason, 'in a file that is replaced atomically, so the disk lost or changed data');
  }
  return decoded.payloads[0];
}

export async function writeRecordFile(path: string, payload: unknown, options: DurabilityOptions): Promise<void> {
  await writeFileAtomic(path, encodeRecord(payload), options);
}
