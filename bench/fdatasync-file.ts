// A small write made durable with fdatasync, in the three ways a log file can grow. `append`:
// O_APPEND at the end of the file, so every fdatasync also commits the file's new size and
// extent (a journal commit on ext4). `zeroed`: positional writes over blocks that were written
// with zeros and synced beforehand, so fdatasync has only data to flush (what the write-ahead
// log does). `fallocated`: positional writes over space reserved with fallocate(1), whose extents
// stay "unwritten" until written, so each first write into a block converts its extent (a
// metadata update again). bench:fdatasync compares them; bench:raft takes `zeroed` writes in turns
// with the systems, as the speed of the disk during its run.

import { execFileSync } from 'node:child_process';
import { constants, fdatasyncSync, openSync, writeSync } from 'node:fs';

export const fileModes = ['append', 'zeroed', 'fallocated'] as const;
export type FileMode = (typeof fileModes)[number];

/** Opens `path` for the mode's writes, with `sizeBytes` of space prepared as the mode says. */
export function prepareFile(path: string, mode: FileMode, sizeBytes: number): number {
  if (mode === 'append') return openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o644);
  if (mode === 'fallocated') execFileSync('fallocate', ['-l', String(sizeBytes), path]);
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT, 0o644);
  if (mode === 'zeroed') writeSync(fd, Buffer.alloc(sizeBytes), 0, sizeBytes, 0);
  fdatasyncSync(fd);
  return fd;
}

/** Writes `record` at `position` (at the end in `append` mode), not yet durable. */
export function writeRecord(fd: number, mode: FileMode, record: Buffer, position: number): void {
  if (mode === 'append') writeSync(fd, record);
  else writeSync(fd, record, 0, record.length, position);
}

/** Writes `record` (writeRecord) and fdatasyncs it; returns the microseconds taken. */
export function timeOneWrite(fd: number, mode: FileMode, record: Buffer, position: number): number {
  const started = process.hrtime.bigint();
  writeRecord(fd, mode, record, position);
  fdatasyncSync(fd);
  return Number(process.hrtime.bigint() - started) / 1000;
}
