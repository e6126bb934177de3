import t, { type Test } from 'tap';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runHarness } from './harness-cli.js';
import { defaultScenariosDir, listScenarioNames } from '../../harness/scenario/scenario-catalog.js';

async function temporaryDirectory(t: Test): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'raft-chaos-cli-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

t.test('--help lists every command, and every command has its own --help', async (t) => {
  const top = await runHarness(['--help']);
  t.equal(top.exitCode, 0);
  for (const command of ['run', 'check', 'list', 'systems', 'clean', 'image', 'cluster']) t.match(top.stdout, new RegExp(`\\n  ${command}\\b`));
  for (const command of [['run'], ['check'], ['list'], ['systems'], ['clean'], ['image', 'build'], ['cluster', 'up']]) {
    const help = await runHarness([...command, '--help']);
    t.equal(help.exitCode, 0, `${command.join(' ')} --help`);
    t.match(help.stdout, `Usage: harness ${command.join(' ')}`);
  }
  t.match((await runHarness(['run', '--help'])).stdout, /--platform <name>[\s\S]*--seed <n>[\s\S]*--reports <dir>[\s\S]*--server-cmd[\s\S]*--system <name>[\s\S]*--replicas[\s\S]*--keep/);
});

t.test('list prints every shipped scenario with its description', async (t) => {
  const listed = await runHarness(['list']);
  t.equal(listed.exitCode, 0);
  const lines = listed.stdout.trim().split('\n');
  t.equal(lines.length, (await listScenarioNames(defaultScenariosDir())).length, 'one line per shipped scenario, the soak included');
  t.match(listed.stdout, /^kill-leader\s+SIGKILL the leader/m);
});

t.test('a bad scenario file: exit 2, every problem with file:line:column and field, nothing started', async (t) => {
  const directory = await temporaryDirectory(t);
  const file = path.join(directory, 'broken.yaml');
  await writeFile(file, 'name: broken\ndescription: d\nworkload:\n  rate: -5\ntimeline:\n  - fault: kil\n');
  const reports = path.join(directory, 'reports');
  const result = await runHarness(['run', file, 'baseline', '--reports', reports]);
  t.equal(result.exitCode, 2);
  t.match(result.stderr, `${file}:4:9 workload.rate: expected a positive number, got -5`);
  t.match(result.stderr, `${file}:6:12 timeline[0].fault: expected one of kill,`);
  t.match(result.stderr, 'nothing was started');
  t.same(await readdir(directory), ['broken.yaml'], 'no reports directory was created');
});

t.test('an unknown scenario name: exit 2 listing the known ones', async (t) => {
  const result = await runHarness(['run', 'kill-the-leader']);
  t.equal(result.exitCode, 2);
  t.match(result.stderr, /unknown scenario "kill-the-leader": known scenarios in .*: baseline, isolate-leader, kill-follower, kill-leader,/);
});

t.test('a wrong command line: exit 2 naming the flag', async (t) => {
  const seed = await runHarness(['run', 'baseline', '--seed', 'abc']);
  t.equal(seed.exitCode, 2);
  t.match(seed.stderr, '--seed: expected a whole number from 0 to 4294967295, got "abc"');
  const platform = await runHarness(['run', 'baseline', '--platform', 'vm']);
  t.equal(platform.exitCode, 2);
  t.match(platform.stderr, '--platform: expected one of local, docker, kind, got "vm"');
  const option = await runHarness(['run', 'baseline', '--sed', '1']);
  t.equal(option.exitCode, 2);
  t.match(option.stderr, /unknown option '--sed'[\s\S]*Did you mean --seed\?/);
  const serverCommand = await runHarness(['run', 'baseline', '--platform', 'docker', '--server-cmd', 'my-server']);
  t.equal(serverCommand.exitCode, 2);
  t.match(serverCommand.stderr, '--server-cmd starts a server process and needs --platform local');
  t.equal((await runHarness(['frobnicate'])).exitCode, 2);
  t.equal((await runHarness(['run'])).exitCode, 2, 'run needs at least one scenario');
  t.equal((await runHarness(['cluster', 'up', '--platform', 'local'])).exitCode, 2);
});

t.test('check: 0 for a valid history, 1 for an anomaly, 2 for a malformed or missing file', async (t) => {
  const directory = await temporaryDirectory(t);
  const valid = path.join(directory, 'valid.jsonl');
  const anomalous = path.join(directory, 'anomalous.jsonl');
  const malformed = path.join(directory, 'malformed.jsonl');
  const write = { process: 0, f: 'write', key: 'k1', value: 'a' };
  const lines = (events: object[]) => `${events.map((event) => JSON.stringify(event)).join('\n')}\n`;
  await writeFile(valid, lines([
    { ...write, type: 'invoke', time: 1000 },
    { ...write, type: 'ok', time: 2000 },
    { process: 1, type: 'invoke', f: 'read', key: 'k1', value: null, time: 3000 },
    { process: 1, type: 'ok', f: 'read', key: 'k1', value: 'a', time: 4000 },
  ]));
  await writeFile(anomalous, lines([
    { ...write, type: 'invoke', time: 1000 },
    { ...write, type: 'ok', time: 2000 },
    { process: 1, type: 'invoke', f: 'read', key: 'k1', value: null, time: 3000 },
    { process: 1, type: 'ok', f: 'read', key: 'k1', value: null, time: 4000 },
  ]));
  await writeFile(malformed, '{"process":0,"type":"invoke"\n');
  t.equal((await runHarness(['check', valid])).exitCode, 0);
  t.equal((await runHarness(['check', valid, '--html'])).exitCode, 0);
  t.match(await readFile(path.join(directory, 'valid.html'), 'utf8'), /^<!doctype html>/, '--html alone writes the view next to the history');
  const failed = await runHarness(['check', anomalous]);
  t.equal(failed.exitCode, 1, failed.stdout + failed.stderr);
  t.equal((await runHarness(['check', malformed])).exitCode, 2);
  t.equal((await runHarness(['check', path.join(directory, 'absent.jsonl')])).exitCode, 2);
});

t.test('clean --platform local sweeps the local platform and says what it did', async (t) => {
  const result = await runHarness(['clean', '--platform', 'local']);
  t.equal(result.exitCode, 0, result.stderr);
  t.match(result.stdout, /^local: /m);
  const wrong = await runHarness(['clean', '--platform', 'vm']);
  t.equal(wrong.exitCode, 2);
});
