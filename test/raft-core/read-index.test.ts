// Linearizable reads by ReadIndex (Raft dissertation §6.4).
import t from 'tap';
import type { AppendEntries } from '../../raft/core/types.js';
import { noBugs } from '../../raft/core/testing/sim-cluster.js';
import { assertSafe, electLeader, heartbeatRound, newCluster } from './helpers.js';

t.test('a read is answered only after a quorum answers a round started after it arrived', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  cluster.request('n1', { op: 'put', key: 'k', value: 'v' });
  cluster.deliverAll();
  const ref = cluster.request('n1', { op: 'get', key: 'k' });
  t.equal(cluster.response(ref), undefined, 'not answered from local state');
  const round = cluster.inFlight.filter((message): message is AppendEntries => message.type === 'AppendEntries');
  t.equal(round.length, 2, 'a round of heartbeats went out at once');
  t.ok(round.every((message) => message.readRound > 0), 'carrying the round number');
  cluster.deliverFirst((message) => message.to === 'n2');
  cluster.deliverFirst((message) => message.type === 'AppendEntriesReply');
  t.same(cluster.response(ref), { id: ref, ok: true, value: 'v' }, 'n1 and n2 make a quorum');
});

t.test('a leader cut off from the quorum does not answer reads', async (t) => {
  const cluster = newCluster(3, { requestTimeoutTicks: 15 });
  electLeader(cluster, 'n1');
  cluster.isolate('n1');
  const ref = cluster.request('n1', { op: 'get', key: 'k' });
  for (let tick = 0; tick < 14; tick += 1) {
    cluster.tick('n1');
    cluster.deliverAll();
  }
  t.equal(cluster.response(ref), undefined, 'no answer while isolated');
  cluster.tick('n1');
  t.match(cluster.response(ref), { ok: false }, 'then an indefinite error');
  t.match(cluster.response(ref), { error: /timeout|unavailable/ });
});

t.test('a deposed leader does not return a stale value; the staleReads bug mode does', async (t) => {
  for (const staleReads of [false, true]) {
    const cluster = newCluster(3, { bugs: { ...noBugs, staleReads } });
    electLeader(cluster, 'n1');
    cluster.request('n1', { op: 'put', key: 'k', value: 'old' });
    cluster.deliverAll();
    cluster.isolate('n1');
    electLeader(cluster, 'n2');
    cluster.request('n2', { op: 'put', key: 'k', value: 'new' });
    cluster.deliverAll();
    const ref = cluster.request('n1', { op: 'get', key: 'k' });
    cluster.deliverAll();
    if (staleReads) t.same(cluster.response(ref), { id: ref, ok: true, value: 'old' }, 'bug mode: the stale value');
    else t.equal(cluster.response(ref), undefined, 'correct mode: no answer');
  }
});

t.test('concurrent reads share one round', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  const first = cluster.request('n1', { op: 'get', key: 'k' });
  const sentBefore = cluster.inFlight.length;
  const others = [1, 2, 3, 4].map(() => cluster.request('n1', { op: 'get', key: 'k' }));
  t.equal(cluster.inFlight.length, sentBefore, 'reads arriving during a round wait for the next one');
  cluster.deliverAll();
  t.ok(cluster.response(first)?.ok);
  t.ok(others.every((ref) => cluster.response(ref)?.ok), 'all answered after one more round');
});

t.test('a new leader serves reads only after committing an entry of its term', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  cluster.request('n1', { op: 'put', key: 'k', value: 'v1' });
  cluster.deliverAll();
  cluster.crash('n1');
  cluster.tick('n2', 20);
  // Deliver the votes, but hold back n2's AppendEntries carrying its noop.
  while (cluster.deliverFirst((message) => message.type === 'RequestVote' || message.type === 'RequestVoteReply'));
  t.equal(cluster.status('n2').role, 'leader');
  t.equal(cluster.status('n2').commitIndex, 1, 'the new leader has not learned that the write (index 2) committed');
  const ref = cluster.request('n2', { op: 'get', key: 'k' });
  const heartbeats = cluster.inFlight.filter((message) => message.type === 'AppendEntries' && message.entries.length === 0);
  for (const message of heartbeats) cluster.deliverFirst((candidate) => candidate === message);
  while (cluster.deliverFirst((message) => message.type === 'AppendEntriesReply' && message.success === false));
  t.equal(cluster.response(ref), undefined, 'leadership confirmed or not, the noop is not committed yet');
  cluster.deliverAll();
  heartbeatRound(cluster, 'n2');
  t.same(cluster.response(ref), { id: ref, ok: true, value: 'v1' }, 'then it answers with the committed value');
  assertSafe(t, cluster);
});
