import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLeadersInLogs } from '../../harness/runner/check-leaders-in-logs.js';

function logs(t: { teardown(fn: () => void): void }, contents: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'raft-chaos-leader-logs-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return Object.entries(contents).map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  });
}

const line = (node: string, term: number) => `${JSON.stringify({ time: '2026-11-22T06:00:00.000Z', node, event: 'became-leader', term })}\n`;

t.test('two leaders of one term in the collected logs fail election safety', async (t) => {
  const verdict = await checkLeadersInLogs(logs(t, { 'raft-0.log': line('raft-0', 2), 'raft-1.log': `not json\n${line('raft-1', 2)}` }));
  t.equal(verdict?.valid, false);
  t.match(verdict?.summary, /2 leaders in term 2/);
});

t.test('one leader per term passes', async (t) => {
  const verdict = await checkLeadersInLogs(logs(t, { 'raft-0.log': line('raft-0', 1), 'raft-1.log': line('raft-1', 2) }));
  t.equal(verdict?.valid, true);
});

t.test('logs that name no leader give no verdict rather than an unknown one', async (t) => {
  t.equal(await checkLeadersInLogs(logs(t, { 'node-a.log': 'plain text server output\n' })), undefined);
  t.equal(await checkLeadersInLogs([join(tmpdir(), 'raft-chaos-no-such-log')]), undefined);
});
