// Shared by the `harness run all` tests of each platform: runs every shipped scenario through the
// real CLI (quickly: --duration-scale 0.3) and asserts that each one ran and passed, except those
// the platform cannot run here, which must be skipped with their reason.

import type { Test } from 'tap';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultScenariosDir, listScenarioNames } from '../../harness/scenario/scenario-catalog.js';
import { loadScenarioFile } from '../../harness/scenario/load-scenario.js';
import { runHarness, type CliResult } from './harness-cli.js';

interface Summary {
  unsupported: Array<{ scenario: string; reason: string }>;
  scenarios: Array<{ scenario: string; exitCode: number; verdicts: Array<{ check: string; valid: boolean | string; summary: string }> }>;
}

export interface ExpectedSkip {
  scenario: string;
  /** A part of the reason the run must give. */
  reason: string;
}

export async function runAllShipped(t: Test, platform: string, expectedSkips: readonly ExpectedSkip[], timeoutMs: number): Promise<CliResult> {
  const reports = await mkdtemp(path.join(os.tmpdir(), `raft-chaos-run-all-${platform}-`));
  t.teardown(() => rm(reports, { recursive: true, force: true }));
  const result = await runHarness(['run', 'all', '--platform', platform, '--seed', '21', '--duration-scale', '0.3', '--reports', reports], { timeoutMs });
  const [runDirectory] = await readdir(reports);
  const summary = JSON.parse(await readFile(path.join(reports, runDirectory!, 'summary.json'), 'utf8')) as Summary;
  const failures = summary.scenarios.flatMap((scenario) =>
    scenario.verdicts.filter((verdict) => verdict.valid !== true).map((verdict) => `${scenario.scenario} ${verdict.check}: ${verdict.summary}`),
  );
  t.equal(result.exitCode, 0, `exit 0 on ${platform}`, { failures, output: result.stdout.slice(-3000) + result.stderr });
  t.same(summary.unsupported.map((scenario) => scenario.scenario), expectedSkips.map((skip) => skip.scenario), 'skipped: only what this platform cannot run here');
  for (const [index, skip] of expectedSkips.entries()) t.match(summary.unsupported[index]?.reason, skip.reason, `${skip.scenario}: the reason`);
  const skipped = new Set(expectedSkips.map((skip) => skip.scenario));
  const inAll = await scenariosInAll();
  t.same(summary.scenarios.map((scenario) => scenario.scenario), inAll.filter((name) => !skipped.has(name)), 'every other shipped scenario of `all` ran');
  t.same(summary.scenarios.filter((scenario) => scenario.exitCode !== 0).map((scenario) => scenario.scenario), [], 'and passed');
  return result;
}

/** The shipped scenarios `run all` runs: every one but those marked `inAll: false` (the soak). */
export async function scenariosInAll(): Promise<string[]> {
  const names = await listScenarioNames(defaultScenariosDir());
  const scenarios = await Promise.all(names.map((name) => loadScenarioFile(path.join(defaultScenariosDir(), `${name}.yaml`))));
  return names.filter((_, index) => scenarios[index]!.inAll);
}
