// SLOW SUITE — about 2 minutes; it runs real clusters.
//
// The bug zoo's twins: the correct server (every bug-zoo scenario with its RAFT_BUG_* variables
// removed) must pass them all (exit 0), so a mode's failure is the mode's and not the scenario's.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { runHarness } from '../cli/harness-cli.js';
import { bugZooMatrix } from './bug-zoo-matrix.js';
import { correctSeeds, describeVerdicts, fixtures, readRun, runTimeoutMs, temporaryDirectory } from './bug-zoo-runs.js';
import { withoutBugModes } from './without-bug-modes.js';

t.test('the correct server passes every bug-zoo scenario', async (t) => {
  const directory = await temporaryDirectory(t);
  const scenarios = path.join(directory, 'scenarios');
  await mkdir(scenarios);
  const detectable = bugZooMatrix.filter((candidate) => candidate.notDetectable === undefined && candidate.unavailableHere?.() === undefined);
  for (const entry of bugZooMatrix.filter((candidate) => candidate.unavailableHere?.() !== undefined)) {
    t.test(`${entry.bug} twin`, { skip: `this machine cannot run its scenario: ${entry.unavailableHere?.()}` }, async () => undefined);
  }
  for (const entry of detectable) {
    const text = await readFile(path.join(fixtures, `${entry.bug}.yaml`), 'utf8');
    await writeFile(path.join(scenarios, `${entry.bug}.yaml`), withoutBugModes(text));
  }
  for (const seed of correctSeeds) {
    await t.test(`seed ${seed}`, async (t) => {
      const reports = path.join(directory, `reports-${seed}`);
      const result = await runHarness(['run', 'all', '--scenarios', scenarios, '--seed', String(seed), '--reports', reports], { timeoutMs: 4 * runTimeoutMs });
      const { summary } = await readRun(reports);
      t.same(summary.scenarios.map((scenario) => scenario.scenario).sort(), detectable.map((entry) => entry.bug).sort(), 'every twin ran');
      for (const scenario of summary.scenarios) {
        t.equal(scenario.exitCode, 0, `${scenario.scenario} passes on the correct server`, { verdicts: describeVerdicts(scenario.verdicts) });
      }
      t.equal(result.exitCode, 0, `harness run all exits 0 with seed ${seed}`);
    });
  }
});
