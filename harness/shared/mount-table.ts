// Reads the kernel's table of mounts (/proc/self/mountinfo): which file systems are mounted under
// a directory, so that teardown and `harness clean` can find a run's loop disks.

import { readFile, realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

export interface MountEntry {
  mountPoint: string;
  fileSystemType: string;
  /** The mounted device, e.g. /dev/loop3. */
  source: string;
}

/** Undoes the octal escapes mountinfo uses for space, tab, newline and backslash (`\040`). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** Pure: one entry per line of /proc/<pid>/mountinfo; lines it cannot read are skipped. */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    // id parent major:minor root mount-point options [optional fields…] - type source super-options
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    const mountPoint = fields[4];
    if (separator < 0 || mountPoint === undefined) continue;
    entries.push({
      mountPoint: unescapeMountField(mountPoint),
      fileSystemType: fields[separator + 1] ?? '',
      source: unescapeMountField(fields[separator + 2] ?? ''),
    });
  }
  return entries;
}

async function readMounts(): Promise<MountEntry[]> {
  return parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8').catch(() => ''));
}

/** Mounts at or below `directory`, deepest first (the order to unmount them in). */
export async function mountsUnder(directory: string): Promise<MountEntry[]> {
  const root = await realpath(directory).catch(() => resolve(directory));
  return (await readMounts())
    .filter((entry) => entry.mountPoint === root || entry.mountPoint.startsWith(`${root}${sep}`))
    .sort((left, right) => right.mountPoint.length - left.mountPoint.length);
}

/** Whether a file system is mounted exactly at `path`. */
export async function isMountPoint(path: string): Promise<boolean> {
  const target = await realpath(path).catch(() => resolve(path));
  return (await readMounts()).some((entry) => entry.mountPoint === target);
}
