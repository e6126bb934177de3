// Test helper: `harness run SCENARIO --system NAME` end to end on the local platform into a
// temporary reports directory (removed at the test's end); returns the exit code, the output
// and the scenario's history.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import { runHarness } from '../cli/harness-cli.js';
import { processesOfRun } from './leftover-processes.js';

export interface ThirdPartyRun {
  exitCode: number | undefined;
  output: string;
  history: string;
  summary: string;
  /** The run's directory name (its run id). */
  runDirectory: string;
}

export async function runScenarioOn(t: Test, system: string, scenario: string, seed: number): Promise<ThirdPartyRun> {
  const reports = await mkdtemp(path.join(tmpdir(), `raft-chaos-${system}-run-`));
  t.teardown(() => rm(reports, { recursive: true, force: true }));
  const result = await runHarness(['run', scenario, '--system', system, '--seed', String(seed), '--duration-scale', '0.3', '--reports', reports], { timeoutMs: 240_000 });
  const [runDirectory] = await readdir(reports);
  const read = (file: string) => readFile(path.join(reports, runDirectory ?? '', file), 'utf8').catch(() => '');
  return {
    exitCode: result.exitCode,
    output: result.stdout + result.stderr,
    history: await read(path.join(scenario, 'history.jsonl')),
    summary: await read('summary.json'),
    runDirectory: runDirectory ?? '',
  };
}

/** The run passed, started the system's nodes, acknowledged writes, names the system in its replay command and left no process. */
export async function assertCleanPass(t: Test, run: ThirdPartyRun, system: string): Promise<void> {
  t.equal(run.exitCode, 0, run.output);
  t.match(run.output, new RegExp(`starting 3 nodes of ${system} on local`));
  t.match(run.history, /"type":"ok","f":"write"/, 'writes were acknowledged');
  t.match(run.summary, new RegExp(`--system ${system}`), 'the replay command names the system');
  t.same(await processesOfRun(run.runDirectory), [], 'no process of the run is left');
}
