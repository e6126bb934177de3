// Pids of the live processes a run started: every node carries RAFT_CHAOS_RUN, which begins
// with the run's report directory name.

import { listProcesses, readEnvironmentVariable } from '../../harness/shared/process-table.js';

export async function runProcesses(runId: string): Promise<number[]> {
  const prefix = runId.toLowerCase().slice(0, 20);
  const pids: number[] = [];
  for (const entry of await listProcesses()) {
    if (entry.state === 'Z') continue;
    const marker = await readEnvironmentVariable(entry.pid, 'RAFT_CHAOS_RUN');
    if (marker?.startsWith(prefix) === true) pids.push(entry.pid);
  }
  return pids;
}
