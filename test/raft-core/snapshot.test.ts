// Log compaction (Raft §7): snapshots taken after a threshold, InstallSnapshot to lagging
// followers, recovery from snapshot plus log.
import t from 'tap';
import type { Effect } from '../../raft/core/types.js';
import { assertSafe, electLeader, heartbeatRound, logEvents, lonelyCore, newCluster, ofType, sent } from './helpers.js';

t.test('after snapshotThresholdEntries applied entries a node saves a snapshot and drops what it covers', async (t) => {
  const cluster = newCluster(3, { snapshotThresholdEntries: 5 });
  const events: string[] = [];
  cluster.onEffects = (node, effects) => events.push(...logEvents(effects).map((event) => `${node} ${event}`));
  electLeader(cluster, 'n1');
  for (let write = 0; write < 6; write += 1) cluster.request('n1', { op: 'put', key: `k${write}`, value: `v${write}` });
  cluster.deliverAll();
  const storage = cluster.storage('n1');
  t.equal(storage.snapshot?.lastIncludedIndex, 5);
  t.same(storage.snapshot?.data.kv, { k0: 'v0', k1: 'v1', k2: 'v2', k3: 'v3' }, 'noop plus four writes');
  t.same(storage.entries.map((entry) => entry.index), [6, 7], 'covered entries dropped');
  t.ok(events.includes('n1 snapshot taken'));
  assertSafe(t, cluster);
});

t.test('a follower behind the first retained entry is sent the snapshot and installs it', async (t) => {
  const cluster = newCluster(3, { snapshotThresholdEntries: 5 });
  const events: string[] = [];
  cluster.onEffects = (node, effects) => events.push(...logEvents(effects).map((event) => `${node} ${event}`));
  electLeader(cluster, 'n1');
  cluster.isolate('n3');
  for (let write = 0; write < 12; write += 1) cluster.request('n1', { op: 'put', key: `k${write % 3}`, value: `v${write}` });
  cluster.deliverAll();
  t.ok(cluster.storage('n1').snapshotIndex > 1, 'the leader compacted past what n3 has');
  cluster.heal();
  heartbeatRound(cluster, 'n1');
  heartbeatRound(cluster, 'n1');
  t.ok(events.includes('n3 snapshot installed'));
  t.equal(cluster.status('n3').lastLogIndex, cluster.status('n1').lastLogIndex, 'n3 caught up');
  t.same(cluster.storage('n3').snapshot?.data, cluster.storage('n1').snapshot?.data);
  // n3's state machine is the snapshot's: make it leader and read.
  cluster.crash('n1');
  electLeader(cluster, 'n3');
  const reads = ['k0', 'k1', 'k2'].map((key) => cluster.request('n3', { op: 'get', key }));
  cluster.deliverAll();
  t.same(reads.map((ref) => cluster.response(ref)), reads.map((ref, position) => ({ id: ref, ok: true, value: `v${9 + position}` })));
  assertSafe(t, cluster);
});

t.test('installing a snapshot that does not match the local log discards the whole log', async (t) => {
  const follower = lonelyCore('n2', ['n1', 'n2', 'n3'], {}, {
    hardState: { term: 2, votedFor: null },
    snapshot: null,
    entries: [
      { index: 1, term: 1, command: { kind: 'noop' } },
      { index: 2, term: 2, command: { kind: 'put', key: 'k', value: 'uncommitted' } },
      { index: 3, term: 2, command: { kind: 'noop' } },
    ],
  });
  const snapshot = { lastIncludedIndex: 2, lastIncludedTerm: 3, data: { kv: { k: 'committed' }, sessions: {} } };
  const effects: Effect[] = follower.step({
    type: 'message',
    message: { type: 'InstallSnapshot', from: 'n1', to: 'n2', term: 3, snapshot, readRound: 4 },
  });
  t.same(ofType(effects, 'saveSnapshot').map((effect) => effect.snapshot), [snapshot]);
  t.same(ofType(effects, 'truncateLog'), [{ type: 'truncateLog', fromIndex: 3 }], 'the suffix of another history goes');
  t.match(follower.status(), { commitIndex: 2, lastApplied: 2, lastLogIndex: 2 });
  t.match(sent(effects)[0], { type: 'InstallSnapshotReply', matchIndex: 2, readRound: 4 });
});

t.test('a restarted node recovers from its snapshot and log', async (t) => {
  const cluster = newCluster(3, { snapshotThresholdEntries: 4 });
  electLeader(cluster, 'n1');
  for (let write = 0; write < 9; write += 1) cluster.request('n1', { op: 'put', key: 'k', value: `v${write}` });
  cluster.deliverAll();
  heartbeatRound(cluster, 'n1');
  const before = cluster.status('n2');
  cluster.crash('n2');
  cluster.restart('n2');
  const after = cluster.status('n2');
  t.equal(after.lastLogIndex, before.lastLogIndex, 'the log is back');
  t.equal(after.commitIndex, cluster.storage('n2').snapshotIndex, 'commit known up to the snapshot');
  heartbeatRound(cluster, 'n1');
  t.equal(cluster.status('n2').lastApplied, before.lastApplied, 'and the rest is re-applied');
  assertSafe(t, cluster);
});
