// Which harness process started a run: the `raft-chaos.owner` label, `<host>/<pid>/<start time>`.
// sweep() leaves a run alone while its owner is alive on this host, so `harness clean` (or a
// test suite's sweep) never pulls the cluster out from under a run that is still going.

import { hostname } from 'node:os';
import { isProcessAlive, readProcess } from '../../shared/process-table.js';

export interface HarnessOwner {
  host: string;
  pid: number;
  /** Start time since boot in clock ticks (/proc/<pid>/stat): tells a reused pid apart. */
  startTime: number;
}

/** The owner value for runs this process starts. */
export async function currentOwner(): Promise<string> {
  const startTime = (await readProcess(process.pid))?.startTime ?? 0;
  return formatOwner({ host: hostname(), pid: process.pid, startTime });
}

export function formatOwner(owner: HarnessOwner): string {
  return `${owner.host}/${owner.pid}/${owner.startTime}`;
}

/** Undefined when the text is not an owner value (e.g. a run started before the label existed). */
export function parseOwner(text: string | undefined): HarnessOwner | undefined {
  const match = /^(.+)\/(\d+)\/(\d+)$/.exec(text ?? '');
  if (match === null) return undefined;
  return { host: match[1]!, pid: Number(match[2]), startTime: Number(match[3]) };
}

/**
 * True when the owner is a live process on this host. A run without an owner, or owned by a
 * process on another host (whose pids cannot be checked from here), counts as abandoned.
 */
export async function ownerIsAlive(text: string | undefined): Promise<boolean> {
  const owner = parseOwner(text);
  if (owner === undefined || owner.host !== hostname()) return false;
  return isProcessAlive(owner.pid, owner.startTime);
}
