// The disk's speed during a bench:raft run, taken as two more participants in the turns of the
// 1-in-flight puts. `writeOne`: a 128-byte record written over a zero-filled, synced file (the
// cheapest durable write, what the write-ahead log does; fdatasync-file.ts) and made durable
// with fdatasync. `writeTwo`: two such records in two files, fdatasynced at once on two threads
// of libuv's pool: the two durable copies a 3-node commit waits for (the leader's and one
// follower's) when every node shares this one disk, which makes their flushes queue. A put at 1
// in flight cannot be faster than `writeTwo`; what it takes beyond that is the server's own (the
// network hops, the processing), so printing both tells a slow server from a slow disk.

import { closeSync, fdatasync, fdatasyncSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { prepareFile, writeRecord } from './fdatasync-file.js';
import type { LoadOutcome } from './raft-load.js';

const recordBytes = 128;
const fileBytes = 4 * 1024 * 1024;
const slots = fileBytes / recordBytes;
const datasync = promisify(fdatasync);

export interface DiskTurn {
  /** Where the files are (the OS temp directory, where the clusters keep their data). */
  readonly directory: string;
  /** One write + fdatasync, at the next record's place (wrapping around the file). */
  writeOne(worker: number, iteration: number): Promise<LoadOutcome>;
  /** A write + fdatasync in each of two files at once; done when both are durable. */
  writeTwo(worker: number, iteration: number): Promise<LoadOutcome>;
  /** Closes and removes the files and their directory. */
  close(): void;
}

export function openDiskTurn(): DiskTurn {
  const directory = mkdtempSync(join(tmpdir(), 'raft-chaos-bench-disk-'));
  // An exit on the watchdog or a signal skips the caller's close: remove the directory then too.
  const removeDirectory = () => rmSync(directory, { recursive: true, force: true });
  process.once('exit', removeDirectory);
  const fds: number[] = [];
  const close = () => {
    for (const fd of fds.splice(0)) closeSync(fd);
    process.removeListener('exit', removeDirectory);
    removeDirectory();
  };
  try {
    for (const name of ['one.log', 'two-a.log', 'two-b.log']) fds.push(prepareFile(join(directory, name), 'zeroed', fileBytes));
  } catch (error) {
    close();
    throw error;
  }
  const [one, twoA, twoB] = fds as [number, number, number];
  const record = Buffer.alloc(recordBytes, 'x');
  const place = (iteration: number) => (iteration % slots) * recordBytes;
  return {
    directory,
    writeOne: (_worker, iteration) => {
      writeRecord(one, 'zeroed', record, place(iteration));
      fdatasyncSync(one);
      return Promise.resolve(true);
    },
    writeTwo: async (_worker, iteration) => {
      writeRecord(twoA, 'zeroed', record, place(iteration));
      writeRecord(twoB, 'zeroed', record, place(iteration));
      await Promise.all([datasync(twoA), datasync(twoB)]);
      return true;
    },
    close,
  };
}
