// `harness run` end to end on the local platform: real server processes, real reports.

import t, { type Test } from 'tap';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Parser, type Result } from 'tap-parser';
import { runHarness } from './harness-cli.js';

async function temporaryDirectory(t: Test): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'raft-chaos-run-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

function checkPoints(tap: string): Result[] {
  const points: Result[] = [];
  const parser = new Parser();
  parser.on('child', (child: Parser) => child.on('assert', (point: Result) => points.push(point)));
  parser.end(tap);
  return points;
}

async function onlyRunDirectory(reports: string): Promise<string> {
  const runs = await readdir(reports);
  if (runs.length !== 1) throw new Error(`expected one run directory in ${reports}, found ${runs.join(', ')}`);
  return path.join(reports, runs[0]);
}

t.test('a passing scenario: exit 0, results.tap, summary.json, history, timeline and logs', async (t) => {
  const reports = path.join(await temporaryDirectory(t), 'reports');
  const result = await runHarness(['run', 'baseline', '--seed', '11', '--duration-scale', '0.3', '--reports', reports], { timeoutMs: 120_000 });
  t.equal(result.exitCode, 0, result.stdout + result.stderr);
  const runDirectory = await onlyRunDirectory(reports);
  t.match(path.basename(runDirectory), /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-baseline$/);
  t.same((await readdir(runDirectory)).sort(), ['baseline', 'results.tap', 'summary.json']);
  const scenarioFiles = await readdir(path.join(runDirectory, 'baseline'));
  t.ok(['history.jsonl', 'logs', 'timeline.jsonl'].every((file) => scenarioFiles.includes(file)), scenarioFiles.join(', '));
  const tap = await readFile(path.join(runDirectory, 'results.tap'), 'utf8');
  t.match(tap, /^TAP version 14\n1\.\.1\n# Subtest: baseline\n/);
  t.ok(checkPoints(tap).every((point) => point.ok), 'every check passed');
  const summary = JSON.parse(await readFile(path.join(runDirectory, 'summary.json'), 'utf8'));
  t.match(summary, { seed: 11, platform: 'local', exitCode: 0, scenarios: [{ scenario: 'baseline', exitCode: 0, replayCommand: 'npx harness run baseline --seed 11 --platform local --duration-scale 0.3' }] });
  t.ok(summary.scenarios[0].operations.ok > 0, 'the workload completed operations');
  t.match(result.stdout, /^baseline\s+.*passed/m, 'the final table');
});

t.test('a server that loses acknowledged writes: exit 1, and the TAP failure carries its YAML block and replay command', async (t) => {
  const directory = await temporaryDirectory(t);
  const scenario = path.join(directory, 'forgetful.yaml');
  await writeFile(scenario, [
    'name: forgetful',
    'description: every node erases its disk when it restarts, and all of them are killed at once',
    'cluster:',
    '  env:',
    '    RAFT_BUG_FORGET_STATE: "true"',
    '  restartDelay: 300ms',
    'timeline:',
    '  - wait-for-leader: 20s',
    '  - wait: 2s',
    '  - fault: kill',
    '    target: all',
    '  - wait: 2s',
    '  - heal: all',
    '  - wait-for-healthy: 30s',
    '  - wait: 1s',
    'checks:',
    '  minOpsAroundFault: 0',
    'timeLimit: 90s',
  ].join('\n'));
  const reports = path.join(directory, 'reports');
  const result = await runHarness(['run', scenario, '--seed', '77', '--reports', reports], { timeoutMs: 150_000 });
  t.equal(result.exitCode, 1, result.stdout + result.stderr);
  const tap = await readFile(path.join(await onlyRunDirectory(reports), 'results.tap'), 'utf8');
  const failures = checkPoints(tap).filter((point) => !point.ok && point.todo === false);
  t.ok(failures.length > 0, 'at least one check failed');
  t.match(failures[0].diag, { check: String, anomaly: String, seed: 77, replay: `npx harness run ${scenario} --seed 77 --platform local` });
  t.match(result.stdout, `replay:   npx harness run ${scenario} --seed 77 --platform local`);
});
