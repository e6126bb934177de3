// `harness check` as a real process: exit codes and output.

import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HistoryEvent } from '../../harness/history/history-event.js';
import { formatHistory } from '../../harness/history/generate-history.js';
import { history } from '../checkers/history-builder.js';

const entry = fileURLToPath(new URL('../../harness/cli/main.js', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'raft-chaos-check-command-'));
t.teardown(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, events: HistoryEvent[] | string): string {
  const path = join(directory, name);
  writeFileSync(path, typeof events === 'string' ? events : formatHistory(events));
  return path;
}

function check(...args: string[]) {
  const result = spawnSync(process.execPath, [entry, 'check', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const validPath = file('valid.jsonl', history().write(0, 'k', 'a', 0, 1).read(1, 'k', 'a', 2, 3).build());
const stalePath = file('stale.jsonl', history().write(0, 'k3', 'v7', 0, 100).write(1, 'k3', 'v9', 200, 1100).read(2, 'k3', 'v7', 1234, 1300).build());

t.test('exit 0 on a valid history, listing every verdict', async (t) => {
  const { code, stdout } = check(validPath);
  t.equal(code, 0);
  t.match(stdout, /ok +linearizable: 1 keys, 2 operations linearizable/);
  t.match(stdout, /ok +no-phantom-values/);
  t.match(stdout, /\nok +valid\n$/);
});

t.test('exit 1 on an anomaly, with the summary and the operations', async (t) => {
  const { code, stdout } = check(stalePath);
  t.equal(code, 1);
  t.match(stdout, /FAIL +linearizable: stale read of k3: read v7 at 1\.234 s after write v9 was acknowledged at 1\.100 s/);
  t.match(stdout, /operations that cannot be ordered:\n.*"value":"v7"/);
});

t.test('--json prints the verdicts as JSON', async (t) => {
  const { code, stdout } = check(stalePath, '--json');
  t.equal(code, 1);
  const parsed = JSON.parse(stdout) as { valid: unknown; exitCode: number; verdicts: { check: string; valid: unknown; evidence: { operations: unknown[] } }[] };
  t.equal(parsed.valid, false);
  t.equal(parsed.exitCode, 1);
  t.equal(parsed.verdicts[0]!.check, 'linearizable');
  t.equal(parsed.verdicts[0]!.evidence.operations.length, 3);
});

t.test('exit 2 on a malformed file, naming the line and the field', async (t) => {
  const lines = formatHistory(history().write(0, 'k', 'a', 0, 1).build()).split('\n');
  const path = file('broken.jsonl', `${lines[0]}\n${lines[1]!.replace('"ok"', '"done"')}\n`);
  const { code, stderr, stdout } = check(path);
  t.equal(code, 2);
  t.equal(stdout, '');
  t.match(stderr, `${path}:2 type: expected invoke, ok, fail or info, got "done"`);
  const rule = file('rule.jsonl', formatHistory([...history().write(0, 'k', 'a', 0, null).build(), ...history().write(0, 'k', 'b', 5, null).build()]));
  const broken = check(rule);
  t.equal(broken.code, 2);
  t.match(broken.stderr, `${rule}:2 process: process 0 invokes while its operation from line 1 is still in flight`);
});

t.test('exit 2 on a bad command line or a missing file', async (t) => {
  t.equal(check().code, 2);
  t.match(check().stderr, /missing the history file\nUsage: harness check/);
  t.match(check(validPath, '--budget-ms', 'soon').stderr, /--budget-ms: expected a positive number of milliseconds, got soon/);
  t.equal(check(validPath, '--frobnicate').code, 2);
  const missing = check(join(directory, 'nope.jsonl'));
  t.equal(missing.code, 2);
  t.match(missing.stderr, /nope\.jsonl: no such file/);
});

t.test('exit 4 when the search runs out of its budget', async (t) => {
  const builder = history();
  for (let process = 0; process < 26; process++) builder.write(process, 'k', process % 2 === 0 ? 'a' : 'b', process * 0.001, 100 + process * 0.001);
  const path = file('hard.jsonl', builder.write(26, 'k', 'c', 200, 201).read(27, 'k', 'a', 300, 301).build());
  const { code, stdout } = check(path, '--budget-ms', '300');
  t.equal(code, 4);
  t.match(stdout, /UNKNOWN linearizable: 1 of 1 keys not settled within the 300 ms budget/);
});

t.test('--facts adds the fault checks; --html writes the evidence page', async (t) => {
  const facts = join(directory, 'given-facts.json');
  writeFileSync(facts, JSON.stringify({ faultWindows: [{ name: 'kill-1', startNs: 150e6, endNs: 250e6, targets: ['raft-0'], evidence: { instanceBefore: { 'raft-0': '1' }, instanceAfter: { 'raft-0': '1' } } }] }));
  const html = join(directory, 'evidence.html');
  const { code, stdout } = check(validPath, '--facts', facts, '--html', html);
  t.equal(code, 1, 'the kill did not take effect');
  t.match(stdout, /FAIL +fault-took-effect: fault kill-1 did not take effect: raft-0 is still instance 1/);
  t.ok(existsSync(html));
  t.match(readFileSync(html, 'utf8'), /<!doctype html>/);
  writeFileSync(facts, '{"faultWindows": 3}');
  const bad = check(validPath, '--facts', facts);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /given-facts\.json faultWindows: expected an array/);
});

function reportDirectory(name: string): string {
  const path = join(directory, name);
  mkdirSync(path);
  return path;
}

const killNotTaken = { faultWindows: [{ name: 'kill-1', startNs: 150e6, endNs: 250e6, targets: ['raft-0'], evidence: { instanceBefore: { 'raft-0': '1' }, instanceAfter: { 'raft-0': '1' } } }] };

t.test('bad paths are one line naming the path and what to do, exit 2, quickly', async (t) => {
  const started = performance.now();
  const asDirectory = check(directory);
  t.equal(asDirectory.code, 2);
  t.match(asDirectory.stderr, new RegExp(`^harness check: ${directory} is a directory; pass the history inside it`));
  t.equal(asDirectory.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
  const unwritable = check(validPath, '--html', '/proc/forbidden/view.html');
  t.equal(unwritable.code, 2);
  t.match(unwritable.stderr, /^harness check: cannot write the evidence page \/proc\/forbidden\/view\.html \(ENOENT\); pass --html a file in a directory you can write\n$/);
  const noLogs = check(validPath, '--logs', join(directory, 'no-logs'));
  t.equal(noLogs.code, 2);
  t.match(noLogs.stderr, /no-logs: no such file or directory; pass the path of a directory of node logs/);
  t.ok(performance.now() - started < 60_000, 'each returned (a hang would hit the spawn timeout)');
});

t.test('a file with no operation is not valid: exit 2, saying so', async (t) => {
  for (const text of ['', '\n\n', '\uFEFF']) {
    const { code, stdout, stderr } = check(file('empty.jsonl', text));
    t.equal(code, 2, JSON.stringify(text));
    t.equal(stdout, '');
    t.match(stderr, /empty\.jsonl:1 file: no operations: a history without one proves nothing/);
  }
});

t.test('times that go backwards are malformed: exit 2 naming the line', async (t) => {
  const lines = formatHistory(history().write(0, 'k', 'a', 0, 1).read(1, 'k', 'a', 2, 3).build()).trim().split('\n');
  const path = file('backwards.jsonl', [lines[0], lines[1], lines[3], lines[2]].join('\n'));
  const { code, stderr } = check(path);
  t.equal(code, 2);
  t.match(stderr, `${path}:4 time: 2000000 is smaller than 3000000 on line 3`);
});

t.test('a leading byte order mark is skipped', async (t) => {
  t.equal(check(file('bom.jsonl', `\uFEFF${readFileSync(validPath, 'utf8')}`)).code, 0);
});

t.test('facts.json beside the history is used, also for the evidence page', async (t) => {
  const report = reportDirectory('report-with-facts');
  const path = join(report, 'history.jsonl');
  writeFileSync(path, readFileSync(validPath));
  writeFileSync(join(report, 'facts.json'), JSON.stringify(killNotTaken));
  const { code, stdout } = check(path, '--html');
  t.equal(code, 1, 'the fault checks of the facts ran');
  t.match(stdout, `facts: ${join(report, 'facts.json')}`);
  t.match(stdout, /FAIL +fault-took-effect/);
  const page = readFileSync(join(report, 'history.html'), 'utf8');
  t.match(page, /"name":"kill-1"/, 'the page has the fault window');
});

t.test('checks the run turned off stay off, with the run\'s budget', async (t) => {
  const report = reportDirectory('report-checks-off');
  const path = join(report, 'history.jsonl');
  writeFileSync(path, readFileSync(stalePath));
  writeFileSync(join(report, 'facts.json'), JSON.stringify({ faultWindows: [], checks: { linearizable: false, noLostWrites: true, noPhantomValues: true, budgetMs: 1234 } }));
  const { code, stdout } = check(path);
  t.equal(code, 0, 'the stale read is not judged: the scenario had turned linearizable off');
  t.notMatch(stdout, /linearizable/);
  t.match(stdout, /ok +no-phantom-values/);
});

t.test('--logs DIR re-runs the node-log checks', async (t) => {
  const logs = reportDirectory('logs');
  const claim = (node: string) => `${JSON.stringify({ node, event: 'became-leader', term: 2 })}\n`;
  writeFileSync(join(logs, 'raft-0.log'), claim('raft-0'));
  writeFileSync(join(logs, 'raft-1.log'), claim('raft-1'));
  const { code, stdout } = check(validPath, '--logs', logs);
  t.equal(code, 1);
  t.match(stdout, /FAIL +one-leader-per-term: /);
});

t.test('--help prints the usage, exit 0', async (t) => {
  const { code, stdout } = check('--help');
  t.equal(code, 0);
  t.match(stdout, /^Usage: harness check <history\.jsonl>.*--logs DIR/);
});
