// The state record every local run keeps in a well-known directory, so that `harness clean`
// (sweep) can find and kill what an interrupted run left behind.

import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The environment variable every node process carries: it marks the node as this run's. */
export const runMarkerVariable = 'RAFT_CHAOS_RUN';

export interface RunRecordNode {
  node: string;
  /** The node's process group id (= the pid of its leader), absent while it is not running. */
  processGroupId?: number;
  clientPort: number;
  peerPort: number;
}

export interface RunRecord {
  runId: string;
  harnessPid: number;
  /** The harness process's start time in clock ticks (/proc/<pid>/stat), against pid reuse. */
  harnessStartTime: number;
  workDir: string;
  proxyPorts: number[];
  /** The iptables chains (filter and nat) of a run that cuts links by address. */
  iptablesChain?: string;
  nodes: RunRecordNode[];
}

export function defaultStateDir(): string {
  return join(tmpdir(), 'raft-chaos', 'local');
}

export function recordPath(stateDir: string, runId: string): string {
  return join(stateDir, `${runId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}

/** Writes the record atomically (write then rename), so a reader never sees half of it. */
export async function writeRunRecord(stateDir: string, record: RunRecord): Promise<string> {
  await mkdir(stateDir, { recursive: true });
  const path = recordPath(stateDir, record.runId);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
  await rename(temporary, path);
  return path;
}

export async function removeRunRecord(stateDir: string, runId: string): Promise<void> {
  await rm(recordPath(stateDir, runId), { force: true });
}

/** Every readable record in the directory, with its path; unreadable files are skipped. */
export async function readRunRecords(stateDir: string): Promise<{ path: string; record: RunRecord }[]> {
  const names = await readdir(stateDir).catch(() => [] as string[]);
  const results: { path: string; record: RunRecord }[] = [];
  for (const name of names.filter((entry) => entry.endsWith('.json'))) {
    const path = join(stateDir, name);
    try {
      results.push({ path, record: JSON.parse(await readFile(path, 'utf8')) as RunRecord });
    } catch {
      // Being written or foreign: not ours to judge.
    }
  }
  return results;
}
