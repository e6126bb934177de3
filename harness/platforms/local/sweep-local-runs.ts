// `harness clean` for the local platform: finds the state records of runs whose harness
// process is gone (or every record, with `all`), kills the process groups of the nodes those
// runs started, recognised by the RAFT_CHAOS_RUN=<runId> marker in their environment, unmounts
// the loop disks of power-loss runs and deletes their images, deletes the iptables chains of runs
// that cut links by address, and removes the records. Returns
// one line per run removed.

import { rm } from 'node:fs/promises';
import { removeIptablesChains } from './iptables-link-cutter.js';
import { removeLoopDisksUnder } from './loop-disk.js';
import { killGroup } from './process-group.js';
import { isProcessAlive, listProcesses, readEnvironmentVariable, readProcess } from '../../shared/process-table.js';
import { defaultStateDir, readRunRecords, runMarkerVariable, type RunRecord } from './run-record.js';

export interface SweepOptions {
  /** Where the run records are; default `${os.tmpdir()}/raft-chaos/local`. */
  stateDir?: string;
  /** Also sweep runs whose harness process is still alive. */
  all?: boolean;
  /** How long to wait for a killed group to be gone. */
  killTimeoutMs?: number;
}

/** Process groups holding a process that carries this run's marker (never our own group). */
export async function markedProcessGroups(runId: string): Promise<number[]> {
  const ownGroup = (await readProcess(process.pid))?.processGroupId;
  const groups = new Set<number>();
  for (const entry of await listProcesses()) {
    if (entry.state === 'Z' || entry.processGroupId === ownGroup || entry.pid === process.pid) continue;
    if ((await readEnvironmentVariable(entry.pid, runMarkerVariable)) === runId) groups.add(entry.processGroupId);
  }
  return [...groups].sort((left, right) => left - right);
}

async function sweepRun(path: string, record: RunRecord, killTimeoutMs: number): Promise<string> {
  const groups = await markedProcessGroups(record.runId);
  const failures: string[] = [];
  for (const group of groups) {
    await killGroup(group, killTimeoutMs).catch((error: Error) => failures.push(error.message));
  }
  if (failures.length > 0) throw new Error(`sweeping local run ${record.runId}: ${failures.join('; ')}`);
  const unmounted = await removeLoopDisksUnder(record.workDir).catch((error: Error) => {
    throw new Error(`sweeping local run ${record.runId}: ${error.message}`);
  });
  if (record.iptablesChain !== undefined) {
    await removeIptablesChains(record.iptablesChain).catch((error: Error) => {
      throw new Error(`sweeping local run ${record.runId}: ${error.message}`);
    });
  }
  await rm(path, { force: true });
  const killed = groups.length === 0 ? 'no process left' : `killed process groups ${groups.join(', ')}`;
  const disks = unmounted.length === 0 ? '' : `; unmounted loop disks ${unmounted.join(', ')}`;
  const chains = record.iptablesChain === undefined ? '' : `; removed iptables chains ${record.iptablesChain}`;
  return `local run ${record.runId} (harness pid ${record.harnessPid}, ${record.workDir}): ${killed}${disks}${chains}; removed ${path}`;
}

export async function sweepLocalRuns(options: SweepOptions = {}): Promise<string[]> {
  const stateDir = options.stateDir ?? defaultStateDir();
  const removed: string[] = [];
  for (const { path, record } of await readRunRecords(stateDir)) {
    const harnessAlive = await isProcessAlive(record.harnessPid, record.harnessStartTime);
    if (harnessAlive && options.all !== true) continue;
    removed.push(await sweepRun(path, record, options.killTimeoutMs ?? 10_000));
  }
  return removed;
}
