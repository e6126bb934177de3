import t from 'tap';
import type { NodeStatusAnswer, StatusSnapshot } from '../../harness/cluster-health/status-snapshot.js';
import { resolveTargets, TargetResolutionError } from '../../harness/runner/target-resolution.js';
import { createSeededRandom } from '../../harness/shared/seeded-random.js';
import type { TargetSelector } from '../../harness/scenario/plan.js';

function answer(node: string, role: 'leader' | 'follower' | 'candidate', term: number, leader: string | null): NodeStatusAnswer {
  return { node, answered: true, status: { node, role, term, leader, commitIndex: 5, lastApplied: 5, lastLogIndex: 5 } };
}

const fiveNodes: StatusSnapshot = {
  takenAtMs: 0,
  answers: [
    answer('raft-0', 'follower', 3, 'raft-2'),
    answer('raft-1', 'follower', 3, 'raft-2'),
    answer('raft-2', 'leader', 3, 'raft-2'),
    answer('raft-3', 'follower', 3, 'raft-2'),
    { node: 'raft-4', answered: false, error: 'no_response' },
  ],
};

const resolve = (selector: TargetSelector, snapshot = fiveNodes, seed = 7) => resolveTargets(selector, snapshot, createSeededRandom(seed));

t.test('leader and followers come from the status answers', async (t) => {
  t.same(resolve({ kind: 'leader' }), ['raft-2']);
  t.same(resolve({ kind: 'followers' }), ['raft-0', 'raft-1', 'raft-3', 'raft-4']);
  const follower = resolve({ kind: 'random-follower' });
  t.equal(follower.length, 1);
  t.not(follower[0], 'raft-2');
});

t.test('a stale leader in an older term is not the leader', async (t) => {
  const snapshot: StatusSnapshot = {
    takenAtMs: 0,
    answers: [answer('raft-0', 'leader', 2, 'raft-0'), answer('raft-1', 'leader', 4, 'raft-1'), answer('raft-2', 'follower', 4, 'raft-1')],
  };
  t.same(resolve({ kind: 'leader' }, snapshot), ['raft-1']);
});

t.test('minority holds the leader, majority is its complement', async (t) => {
  for (let seed = 0; seed < 20; seed += 1) {
    const minority = resolve({ kind: 'minority' }, fiveNodes, seed);
    const majority = resolve({ kind: 'majority' }, fiveNodes, seed);
    t.equal(minority.length, 2);
    t.ok(minority.includes('raft-2'), 'the leader is in the minority');
    t.equal(majority.length, 3);
    t.notOk(majority.includes('raft-2'));
    t.same([...minority, ...majority].sort(), ['raft-0', 'raft-1', 'raft-2', 'raft-3', 'raft-4']);
  }
});

t.test('without a leader, the minority is random and leader selectors fail clearly', async (t) => {
  const leaderless: StatusSnapshot = { takenAtMs: 0, answers: fiveNodes.answers.map((entry) => (entry.node === 'raft-2' ? { node: 'raft-2', answered: false, error: 'connection_lost' } : entry)) };
  t.equal(resolve({ kind: 'minority' }, leaderless).length, 2);
  t.throws(() => resolve({ kind: 'leader' }, leaderless), TargetResolutionError);
  t.throws(() => resolve({ kind: 'random-follower' }, leaderless), /no node claims to be leader.*raft-2=down/);
});

t.test('same snapshot and seed give the same targets; seeds vary the choice', async (t) => {
  t.same(resolve({ kind: 'random-node' }, fiveNodes, 3), resolve({ kind: 'random-node' }, fiveNodes, 3));
  const chosen = new Set(Array.from({ length: 40 }, (_, seed) => resolve({ kind: 'random-node' }, fiveNodes, seed)[0]));
  t.ok(chosen.size >= 3, `random-node reaches several nodes (${[...chosen].join(', ')})`);
});

t.test('all and named node', async (t) => {
  t.same(resolve({ kind: 'all' }), ['raft-0', 'raft-1', 'raft-2', 'raft-3', 'raft-4']);
  t.same(resolve({ kind: 'node', node: 'raft-4' }), ['raft-4']);
  t.throws(() => resolve({ kind: 'node', node: 'raft-9' }), /raft-9 is not in the cluster/);
});
