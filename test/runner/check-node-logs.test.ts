import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkNodeLogs } from '../../harness/runner/check-node-logs.js';
import { checkRecordedHistory } from '../../harness/runner/check-recorded-history.js';

function logs(t: { teardown(fn: () => void): void }, contents: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'raft-chaos-node-logs-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return Object.entries(contents).map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  });
}

const record = (fields: Record<string, unknown>) => `${JSON.stringify({ time: '2026-11-22T06:00:00.000Z', ...fields })}\n`;
const leader = (node: string, term: number) => record({ node, event: 'became-leader', term });
const firstCommit = (node: string, term: number, index: number, entryTerm: number) => record({ node, event: 'leader-first-commit', term, index, entryTerm });

t.test('two leaders of one term in the collected logs fail election safety', async (t) => {
  const verdicts = await checkNodeLogs(logs(t, { 'raft-0.log': leader('raft-0', 2), 'raft-1.log': `not json\n${leader('raft-1', 2)}` }));
  t.same(verdicts.map((verdict) => [verdict.check, verdict.valid]), [['one-leader-per-term', false]]);
  t.match(verdicts[0]?.summary, /2 leaders in term 2/);
});

t.test('one leader per term, each first committing an entry of its own term, passes both checks', async (t) => {
  const verdicts = await checkNodeLogs(logs(t, {
    'raft-0.log': leader('raft-0', 1) + firstCommit('raft-0', 1, 1, 1),
    'raft-1.log': leader('raft-1', 2) + firstCommit('raft-1', 2, 40, 2),
  }));
  t.same(verdicts.map((verdict) => [verdict.check, verdict.valid]), [['one-leader-per-term', true], ['leader-commit-rule', true]]);
});

t.test('a leader whose first commit is an entry of an earlier term breaks the commit rule', async (t) => {
  const verdicts = await checkNodeLogs(logs(t, {
    'raft-0.log': leader('raft-0', 1) + firstCommit('raft-0', 1, 1, 1),
    'raft-3.log': 'plain text\n' + leader('raft-3', 3) + firstCommit('raft-3', 3, 304, 2),
  }));
  const rule = verdicts.find((verdict) => verdict.check === 'leader-commit-rule');
  t.equal(rule?.valid, false);
  t.match(rule?.summary, /raft-3, leader of term 3, committed index 304, an entry of term 2, by counting replicas \(log raft-3\.log, line 3\)/);
  t.match(rule?.evidence, { violations: [{ node: 'raft-3', term: 3, index: 304, entryTerm: 2, line: 3 }] });
});

const changeAppended = (node: string, fields: { term: number; index: number; commitIndex: number; previousConfigurationIndex: number; termStartIndex: number }) =>
  record({ node, event: 'membership-change-appended', op: 'remove', member: 'raft-4', stage: 'removal', ...fields });

t.test('membership changes started one at a time after the leader committed its own term keep the membership-change rule', async (t) => {
  const verdicts = await checkNodeLogs(logs(t, {
    'raft-0.log': changeAppended('raft-0', { term: 2, index: 30, commitIndex: 29, previousConfigurationIndex: 0, termStartIndex: 10 }) + changeAppended('raft-0', { term: 2, index: 35, commitIndex: 34, previousConfigurationIndex: 30, termStartIndex: 10 }),
  }));
  t.same(verdicts.map((verdict) => [verdict.check, verdict.valid]), [['membership-change-rule', true]]);
});

t.test('a change appended while another is uncommitted, or before the leader committed its own term, breaks the membership-change rule', async (t) => {
  const concurrent = await checkNodeLogs(logs(t, {
    'raft-1.log': changeAppended('raft-1', { term: 3, index: 50, commitIndex: 49, previousConfigurationIndex: 20, termStartIndex: 40 }) + changeAppended('raft-1', { term: 3, index: 51, commitIndex: 49, previousConfigurationIndex: 50, termStartIndex: 40 }),
  }));
  t.equal(concurrent[0]?.valid, false);
  t.match(concurrent[0]?.summary, /raft-1, leader of term 3, appended a membership change at index 51 while the configuration at index 50 was uncommitted \(commit index 49\) \(log raft-1\.log, line 2\)/);
  const early = await checkNodeLogs(logs(t, { 'raft-2.log': changeAppended('raft-2', { term: 4, index: 61, commitIndex: 55, previousConfigurationIndex: 20, termStartIndex: 60 }) }));
  t.match(early[0]?.summary, /appended a membership change at index 61 before committing an entry of its own term \(its term starts at index 60, commit index 55\)/);
  t.match(early[0]?.evidence, { violations: [{ node: 'raft-2', index: 61, line: 1 }] });
});

t.test('logs that name no leader and no commit give no verdict rather than an unknown one', async (t) => {
  t.same(await checkNodeLogs(logs(t, { 'node-a.log': 'plain text server output\n' })), []);
  t.same(await checkNodeLogs([join(tmpdir(), 'raft-chaos-no-such-log')]), []);
});

t.test('the evidence page carries every verdict: a run that fails only a node-log check is not shown as valid', async (t) => {
  const paths = logs(t, { 'raft-3.log': leader('raft-3', 3) + firstCommit('raft-3', 3, 304, 2) });
  const scenarioDir = join(paths[0]!, '..');
  const historyPath = join(scenarioDir, 'history.jsonl');
  writeFileSync(historyPath, [
    { type: 'invoke', process: 0, f: 'write', key: 'k', value: 'a', time: 1_000 },
    { type: 'ok', process: 0, f: 'write', key: 'k', value: 'a', time: 2_000 },
    { type: 'invoke', process: 1, f: 'read', key: 'k', value: null, time: 3_000 },
    { type: 'ok', process: 1, f: 'read', key: 'k', value: 'a', time: 4_000 },
  ].map((event) => JSON.stringify(event)).join('\n') + '\n');
  const checked = await checkRecordedHistory({ historyPath, facts: { faultWindows: [] }, logPaths: paths, scenarioDir, title: 'node-log only' });
  t.equal(checked.verdicts.find((verdict) => verdict.check === 'linearizable')?.valid, true, 'the history itself is valid');
  t.equal(checked.verdicts.find((verdict) => verdict.check === 'leader-commit-rule')?.valid, false);
  const page = readFileSync(checked.htmlPath!, 'utf8');
  t.match(page, /<p class="overall invalid">anomaly found/, 'the headline composes every verdict');
  t.match(page, /<tr class="invalid"><td>FAIL<\/td><td>leader-commit-rule<\/td>/, 'the node-log verdict has its row');
});
