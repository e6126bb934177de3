// Election safety from the nodes' logs: synthetic logs for each rule, and logs kept from real
// runs of the reference server (test/fixtures/bug-zoo/logs/, filtered to the election lines):
// a healthy baseline run, and a RAFT_BUG_DOUBLE_VOTE run in which two nodes won term 2.

import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { checkOneLeaderPerTerm, leaderClaims } from '../../harness/checkers/one-leader-per-term-checker.js';
import { packageRoot } from '../../harness/scenario/scenario-catalog.js';

const logsDirectory = path.join(packageRoot(), 'test', 'fixtures', 'bug-zoo', 'logs');

function line(node: string, event: string, term: number, time = '2026-01-01T00:00:00.000Z'): string {
  return JSON.stringify({ time, node, event, term });
}

async function readLogs(run: string): Promise<Record<string, string>> {
  const directory = path.join(logsDirectory, run);
  const logs: Record<string, string> = {};
  for (const file of (await readdir(directory)).sort()) logs[path.basename(file, '.log')] = await readFile(path.join(directory, file), 'utf8');
  return logs;
}

t.test('one leader in each term: valid', async (t) => {
  const verdict = checkOneLeaderPerTerm({
    'raft-0': [line('raft-0', 'became-leader', 1), line('raft-0', 'election-won', 1)].join('\n'),
    'raft-1': line('raft-1', 'became-leader', 2),
    'raft-2': line('raft-2', 'term-changed', 2),
  });
  t.equal(verdict.valid, true);
  t.equal(verdict.check, 'one-leader-per-term');
  t.match(verdict.summary, /^2 terms with a leader, one leader each/);
});

t.test('two nodes that won the same term: invalid, naming both, where and when', async (t) => {
  const verdict = checkOneLeaderPerTerm({
    'raft-0': line('raft-0', 'became-leader', 1),
    'raft-1': ['[raft-chaos] start: raft-1', line('raft-1', 'became-leader', 2, '2026-01-01T00:00:05.000Z')].join('\n'),
    'raft-2': line('raft-2', 'election-won', 2, '2026-01-01T00:00:05.100Z'),
  });
  t.equal(verdict.valid, false);
  t.equal(verdict.summary, '2 leaders in term 2: raft-1 at 2026-01-01T00:00:05.000Z (log raft-1, line 2) and raft-2 at 2026-01-01T00:00:05.100Z (log raft-2, line 1)');
  t.match(verdict.evidence, { term: 2, contestedTerms: [2], leaders: [{ node: 'raft-1', line: 2 }, { node: 'raft-2', line: 1 }] });
});

t.test('the leaders of a contested term are listed earliest first', async (t) => {
  const verdict = checkOneLeaderPerTerm({
    'raft-1': line('raft-1', 'became-leader', 2, '2026-01-01T00:00:05.300Z'),
    'raft-2': line('raft-2', 'became-leader', 2, '2026-01-01T00:00:05.100Z'),
  });
  t.match(verdict.summary, /^2 leaders in term 2: raft-2 at .*05\.100Z .* and raft-1 at .*05\.300Z/);
});

t.test('several contested terms: the first is described, the others counted', async (t) => {
  const verdict = checkOneLeaderPerTerm({
    a: [line('a', 'became-leader', 3), line('a', 'became-leader', 5)].join('\n'),
    b: [line('b', 'became-leader', 3), line('b', 'became-leader', 5)].join('\n'),
  });
  t.equal(verdict.valid, false);
  t.match(verdict.summary, /^2 leaders in term 3: .*; 1 more terms had several leaders$/);
});

t.test('logs without any election line: unknown, not a pass', async (t) => {
  const verdict = checkOneLeaderPerTerm({ 'raft-0': 'plain text\n{"event":"became-leader"}\n{not json', 'raft-1': '' });
  t.equal(verdict.valid, 'unknown');
  t.match(verdict.summary, /no leader election found in the logs of 2 nodes/);
});

t.test('leaderClaims reads the node from the line, the log name otherwise', async (t) => {
  const claims = leaderClaims('node-log', ['{"event":"became-leader","term":4}', line('raft-9', 'election-won', 4)].join('\n'));
  t.same(claims.map((claim) => [claim.node, claim.term, claim.line]), [['node-log', 4, 1], ['raft-9', 4, 2]]);
});

t.test('real logs, healthy baseline run: one leader per term', async (t) => {
  const verdict = checkOneLeaderPerTerm(await readLogs('baseline'));
  t.equal(verdict.valid, true, verdict.summary);
});

t.test('real logs, RAFT_BUG_DOUBLE_VOTE run: two leaders in term 2', async (t) => {
  const verdict = checkOneLeaderPerTerm(await readLogs('double-vote'));
  t.equal(verdict.valid, false, verdict.summary);
  t.match(verdict.summary, /^2 leaders in term 2: raft-1 .* and raft-2 /);
});
