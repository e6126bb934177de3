// Atomic, durable file replacement: write a temp file, fsync it, rename it over the target,
// fsync the directory. A crash leaves either the old file or the new one, never a mix.

import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface DurabilityOptions {
  /** false only in the RAFT_BUG_NO_FSYNC bug mode: skip every fsync. */
  fsync: boolean;
}

export async function writeFileAtomic(path: string, data: Buffer, options: DurabilityOptions): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(data);
    if (options.fsync) await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  if (options.fsync) await fsyncDirectory(dirname(path));
}

/** Makes a directory's entries (created, renamed, removed files) durable. */
export async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
