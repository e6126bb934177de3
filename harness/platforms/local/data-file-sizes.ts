// The size of every file in a node's data directory, for the power-loss evidence: compared before
// the crash and after the remount, it shows what the disk kept.

import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** ext4's own directory at the root of every file system; not the node's data. */
const fileSystemEntries = new Set(['lost+found']);

/** Bytes of each regular file under `directory`, by path relative to it ('wal/wal-000000000001.log'), sorted. */
export async function dataFileSizes(directory: string): Promise<Record<string, number>> {
  const sizes: [string, number][] = [];
  const pending: string[] = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    const entries = await readdir(join(directory, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (relative === '' && fileSystemEntries.has(entry.name)) continue;
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) pending.push(path);
      if (!entry.isFile()) continue;
      const stats = await lstat(join(directory, path)).catch(() => undefined);
      if (stats !== undefined) sizes.push([path, stats.size]);
    }
  }
  return Object.fromEntries(sizes.sort(([left], [right]) => left.localeCompare(right)));
}
