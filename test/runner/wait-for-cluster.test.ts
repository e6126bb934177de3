// The cluster-health waits against a scripted-status-probe: a StatusProbe whose answers follow a
// script by round, so the deadline, the progress lines and the leader/health rules can be seen.

import t from 'tap';
import type { NodeStatusAnswer, StatusProbe } from '../../harness/cluster-health/status-snapshot.js';
import { waitForHealthy } from '../../harness/cluster-health/wait-for-healthy.js';
import { waitForLeader } from '../../harness/cluster-health/wait-for-leader.js';

const nodes = ['a', 'b', 'c'];

function answer(node: string, leader: string | null, commitIndex: number, role?: 'leader' | 'follower'): NodeStatusAnswer {
  return { node, answered: true, status: { node, role: role ?? (leader === node ? 'leader' : 'follower'), term: 3, leader, commitIndex, lastApplied: commitIndex, lastLogIndex: commitIndex } };
}

function scriptedProbe(script: (node: string, round: number) => NodeStatusAnswer): { probe: StatusProbe; rounds: () => number } {
  const asked = new Map<string, number>();
  return {
    probe: async (node) => {
      const round = (asked.get(node) ?? 0) + 1;
      asked.set(node, round);
      return script(node, round);
    },
    rounds: () => Math.max(...asked.values()),
  };
}

t.test('waitForLeader returns once a majority agrees', async (t) => {
  const { probe } = scriptedProbe((node, round) => (round < 4 ? answer(node, null, 0) : answer(node, 'b', 1)));
  const result = await waitForLeader({ nodes, probe, timeoutMs: 10_000, intervalMs: 5, progress: () => undefined });
  t.match(result, { found: true, leader: 'b', term: 3 });
});

t.test('waitForLeader gives up at its deadline, with the last state and progress lines', async (t) => {
  const lines: string[] = [];
  const { probe } = scriptedProbe((node) => (node === 'a' ? answer('a', 'a', 0) : { node, answered: false, error: 'no_response' }));
  const result = await waitForLeader({ nodes, probe, timeoutMs: 300, intervalMs: 20, progressEveryMs: 50, progress: (line) => lines.push(line) });
  t.equal(result.found, false);
  t.match(result, { reason: /no agreed leader within 300 ms.*only 1 of 2 needed nodes agree.*b down \(no_response\)/ });
  t.ok(lines.length >= 1 && lines.every((line) => line.startsWith('waiting for a leader')), 'progress is reported while waiting');
});

t.test('waitForHealthy waits until every node has caught up', async (t) => {
  const { probe } = scriptedProbe((node, round) => answer(node, 'a', node === 'c' && round < 5 ? 7 : 10));
  const result = await waitForHealthy({ nodes, probe, timeoutMs: 10_000, intervalMs: 5, progress: () => undefined });
  t.match(result, { healthy: true, leader: 'a', commitIndex: 10 });
});

t.test('waitForHealthy reports a node that never catches up', async (t) => {
  const { probe } = scriptedProbe((node) => answer(node, 'a', node === 'c' ? 7 : 10));
  const result = await waitForHealthy({ nodes, probe, timeoutMs: 200, intervalMs: 10, progress: () => undefined });
  t.match(result, { healthy: false, reason: /not healthy within 200 ms.*c at commit 7\/applied 7/ });
});

t.test('an abort ends a wait early', async (t) => {
  const controller = new AbortController();
  const { probe } = scriptedProbe((node) => ({ node, answered: false, error: 'connection_lost' }));
  setTimeout(() => controller.abort(), 50);
  const startedMs = performance.now();
  const result = await waitForLeader({ nodes, probe, timeoutMs: 60_000, intervalMs: 10, progress: () => undefined, signal: controller.signal });
  t.equal(result.found, false);
  t.match(result, { reason: /^aborted/ });
  t.ok(performance.now() - startedMs < 30_000);
});
