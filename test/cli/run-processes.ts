// The live processes a `harness run` started, told apart from those of runs going on at the same
// time: every node's marker variable is its cluster run id, the run's report directory name plus
// the scenario; and a process seen once is followed by pid and start time, so a later check cannot
// mistake another run's node (or a reused pid) for it.

import { isProcessAlive, readProcess } from '../../harness/shared/process-table.js';
import { processesMarked } from '../runner/runner-test-kit.js';

export interface SeenProcess {
  pid: number;
  startTime: number;
}

/** Processes whose marker starts with the report directory name `runId`. */
export async function runProcesses(runId: string): Promise<SeenProcess[]> {
  const prefix = `${runId.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}-`;
  const pids = await processesMarked((marker) => marker.startsWith(prefix));
  const seen = await Promise.all(pids.map(async (pid) => ({ pid, startTime: (await readProcess(pid))?.startTime ?? 0 })));
  return seen;
}

/** Those of `seen` that still run. */
export async function stillRunning(seen: readonly SeenProcess[]): Promise<number[]> {
  const alive = await Promise.all(seen.map(async (entry) => ((await isProcessAlive(entry.pid, entry.startTime)) ? [entry.pid] : [])));
  return alive.flat();
}
