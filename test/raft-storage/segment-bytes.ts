// Reading and damaging write-ahead log segments the way a crash would, for the storage and crash
// recovery tests: records, then a zero-filled reserve (raft/storage/segment-writer.ts).

import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeRecords } from '../../raft/storage/record-format.js';

/** The one segment in `directory` (the log keeps one between compactions). */
export async function onlySegment(directory: string): Promise<string> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.log'));
  if (names.length !== 1) throw new Error(`expected one segment in ${directory}, found ${names.join(', ') || 'none'}`);
  return join(directory, names[0]!);
}

/** Bytes of whole, valid records at the start of `file`. */
export async function recordBytesOf(file: string): Promise<number> {
  return decodeRecords(await readFile(file), file).validBytes;
}

/** Writes `bytes` where the next record would go, over the zero-filled reserve: a write a crash cut. */
export async function writeAfterLastRecord(file: string, bytes: Buffer): Promise<void> {
  const position = await recordBytesOf(file);
  const handle = await open(file, 'r+');
  try {
    await handle.write(bytes, 0, bytes.length, position);
  } finally {
    await handle.close();
  }
}
