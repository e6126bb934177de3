// A small file holding exactly one record (hard state, snapshot), replaced atomically.

import { readFile } from 'node:fs/promises';
import { CorruptRecordError, decodeRecords, encodeRecord, type DecodedRecords } from './record-format.js';
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
  const problem = singleRecordProblem(decoded, buffer.length);
  if (problem !== null) {
    throw new CorruptRecordError(path, problem.offset, problem.reason, 'in a file that is replaced atomically, so the disk lost or changed data');
  }
  return decoded.payloads[0];
}

export async function writeRecordFile(path: string, payload: unknown, options: DurabilityOptions): Promise<void> {
  await writeFileAtomic(path, encodeRecord(payload), options);
}

/** What is wrong with a file that must hold exactly one record and nothing after it, or null. */
function singleRecordProblem(decoded: DecodedRecords, fileBytes: number): { offset: number; reason: string } | null {
  if (decoded.tornTail !== null) return { offset: decoded.tornTail.offset, reason: decoded.tornTail.reason };
  if (decoded.payloads.length !== 1) return { offset: 0, reason: `expected exactly one record, found ${decoded.payloads.length}` };
  if (decoded.validBytes !== fileBytes) return { offset: decoded.validBytes, reason: `${fileBytes - decoded.validBytes} zero bytes follow the record` };
  return null;
}
