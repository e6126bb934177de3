import t from 'tap';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { composeExitCodes, runExitCode, scenarioExitCode } from '../../harness/report/exit-code.js';
import { makeRunId, runLabel } from '../../harness/report/run-id.js';
import { writeRunReport } from '../../harness/report/write-run-report.js';
import { broken, failed, passed, unknown } from './scenario-results.js';

t.test('run ids are UTC time plus the label, safe as directory names', async (t) => {
  const startedAt = new Date(Date.UTC(2026, 10, 22, 4, 33, 28, 517));
  t.equal(makeRunId(startedAt, 'kill-leader'), '2026-11-22T04-33-28Z-kill-leader');
  t.equal(makeRunId(startedAt, runLabel(['all'])), '2026-11-22T04-33-28Z-all');
  t.equal(makeRunId(startedAt, runLabel(['../x/y z.yaml', 'b'])), '2026-11-22T04-33-28Z-y-z-b');
  t.equal(runLabel(['a', 'b', 'c', 'd']), 'a+b+2-more');
  t.notMatch(makeRunId(startedAt, 'a/b:c'), /[/:]/);
});

t.test('exit codes: failed check 1, platform 3, unknown 4, passed 0; a failed check wins', async (t) => {
  t.equal(scenarioExitCode(passed), 0);
  t.equal(scenarioExitCode(failed), 1);
  t.equal(scenarioExitCode(unknown), 4);
  t.equal(scenarioExitCode(broken), 3);
  t.equal(runExitCode([passed, unknown]), 4);
  t.equal(runExitCode([passed, unknown, broken]), 3);
  t.equal(runExitCode([broken, failed, unknown]), 1);
  t.equal(runExitCode([]), 0);
  t.equal(composeExitCodes([0, 4, 2, 1]), 2);
});

t.test('writeRunReport writes results.tap and summary.json into the run directory', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'raft-chaos-report-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const reportDir = path.join(root, 'reports', '2026-11-22T04-33-28Z-all');
  const startedAt = new Date(Date.UTC(2026, 10, 22, 4, 33, 28));
  const written = await writeRunReport(
    { runId: '2026-11-22T04-33-28Z-all', reportDir, platform: 'local', seed: 1234, scenarios: [passed, failed], exitCode: 1 },
    { startedAt, finishedAt: new Date(startedAt.getTime() + 31_000), command: 'harness run all', interrupted: false, skipped: ['slow-links'], unsupported: [{ scenario: 'power-loss', file: 'scenarios/power-loss.yaml', reason: 'needs powerLoss' }] },
  );
  t.same((await readdir(reportDir)).sort(), ['results.tap', 'summary.json']);
  t.equal(written.tap, path.join(reportDir, 'results.tap'));
  t.match(await readFile(written.tap, 'utf8'), /^TAP version 14\n1\.\.3\n[^]*\nok 3 - power-loss # SKIP needs powerLoss\n$/);
  const summary = JSON.parse(await readFile(written.summary, 'utf8'));
  t.match(summary, {
    runId: '2026-11-22T04-33-28Z-all',
    platform: 'local',
    seed: 1234,
    exitCode: 1,
    durationMs: 31_000,
    interrupted: false,
    skipped: ['slow-links'],
    unsupported: [{ scenario: 'power-loss', file: 'scenarios/power-loss.yaml', reason: 'needs powerLoss' }],
    command: 'harness run all',
  });
  t.same(summary.scenarios.map((scenario: { scenario: string; exitCode: number }) => [scenario.scenario, scenario.exitCode]), [
    ['baseline', 0],
    ['kill-leader', 1],
  ]);
  t.equal(summary.scenarios[1].verdicts[0].evidence.key, 'k3');
});
