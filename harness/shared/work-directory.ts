// A scenario's work directory (/tmp/raft-chaos-work-*: node logs and data while it runs) and its
// owner file, which names the process that keeps it alive: the harness during a run, a kept
// node after `--keep`. `harness clean` removes every work directory whose owner is gone, so
// neither SIGKILL, a double Ctrl-C nor `--keep` leaves one behind for good.

import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountsUnder } from './mount-table.js';
import { isProcessAlive, readProcess } from './process-table.js';

export const workDirectoryPrefix = 'raft-chaos-work-';
const ownerFileName = 'owner.json';
/** A directory without an owner file (being created, or left by an older version) is left alone this long. */
const ownerlessGraceMs = 15 * 60_000;

export interface WorkDirectoryOwner {
  pid: number;
  /** Start time in clock ticks (/proc/<pid>/stat), against pid reuse; 0 when unknown. */
  startTime: number;
}

/** Creates a fresh work directory owned by this process. */
export async function createWorkDirectory(parent = tmpdir()): Promise<string> {
  const directory = await mkdtemp(join(parent, workDirectoryPrefix));
  await setWorkDirectoryOwner(directory, process.pid);
  return directory;
}

/** Hands the directory to another process (a kept node): it lives as long as that process. */
export async function setWorkDirectoryOwner(directory: string, pid: number): Promise<void> {
  const owner: WorkDirectoryOwner = { pid, startTime: (await readProcess(pid))?.startTime ?? 0 };
  await writeFile(join(directory, ownerFileName), `${JSON.stringify(owner)}\n`);
}

export type WorkDirectoryState = 'owned' | 'abandoned' | 'mounted' | 'too-young';

/** Whether `clean` may remove the directory, and if not, why. */
export async function workDirectoryState(directory: string, nowMs = Date.now()): Promise<WorkDirectoryState> {
  const owner = await readOwner(directory);
  if (owner !== undefined && (await isProcessAlive(owner.pid, owner.startTime))) return 'owned';
  if (owner === undefined) {
    const modifiedMs = (await stat(directory).catch(() => undefined))?.mtimeMs ?? 0;
    if (nowMs - modifiedMs < ownerlessGraceMs) return 'too-young';
  }
  return (await mountsUnder(directory)).length > 0 ? 'mounted' : 'abandoned';
}

/**
 * Removes the abandoned work directories under `parent`; one line per directory removed or left
 * (still mounted: the platform's own clean unmounts it first).
 */
export async function sweepWorkDirectories(parent = tmpdir()): Promise<string[]> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const lines: string[] = [];
  for (const name of names.filter((entry) => entry.startsWith(workDirectoryPrefix))) {
    const directory = join(parent, name);
    const state = await workDirectoryState(directory);
    if (state === 'abandoned') {
      const removed = await rm(directory, { recursive: true, force: true }).then(
        () => `removed work directory ${directory}`,
        (error: Error) => `could not remove work directory ${directory}: ${error.message}`,
      );
      lines.push(removed);
    } else if (state === 'mounted') {
      lines.push(`left work directory ${directory}: a file system is still mounted under it; run \`npx harness clean --platform local\` as root`);
    }
  }
  return lines;
}

async function readOwner(directory: string): Promise<WorkDirectoryOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(join(directory, ownerFileName), 'utf8')) as Partial<WorkDirectoryOwner>;
    return typeof owner.pid === 'number' ? { pid: owner.pid, startTime: owner.startTime ?? 0 } : undefined;
  } catch {
    return undefined;
  }
}
