// Log replication (Raft §5.3): AppendEntries, log matching, conflict back-off, commit,
// pipelining and batching.
import t from 'tap';
import type { AppendEntries, AppendEntriesReply, LogEntry } from '../../raft/core/types.js';
import { assertSafe, electLeader, heartbeatRound, lonelyCore, newCluster, ofType, sent } from './helpers.js';

const noop = { kind: 'noop' } as const;

t.test('a write is sent to the followers in the step it arrives, and answered after commit', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  const ref = cluster.request('n1', { op: 'put', key: 'k', value: 'v' });
  const outgoing = cluster.inFlight.filter((message): message is AppendEntries => message.type === 'AppendEntries');
  t.same(outgoing.map((message) => [message.to, message.entries.map((entry) => entry.index)]), [['n2', [2]], ['n3', [2]]], 'no tick needed');
  t.equal(cluster.response(ref), undefined, 'not answered before commit');
  cluster.deliverFirst((message) => message.to === 'n2');
  t.equal(cluster.response(ref), undefined, 'still not answered: only n2 has it');
  cluster.deliverFirst((message) => message.type === 'AppendEntriesReply' && message.from === 'n2');
  t.same(cluster.response(ref), { id: ref, ok: true, term: 1, index: 2 }, 'answered once n1 and n2 hold it');
  cluster.deliverAll();
  heartbeatRound(cluster, 'n1');
  t.equal(cluster.status('n3').commitIndex, 2, 'followers learn the commit index');
  assertSafe(t, cluster);
});

t.test('heartbeats go out every heartbeatIntervalTicks', async (t) => {
  const cluster = newCluster(3, { heartbeatIntervalTicks: 4 });
  electLeader(cluster, 'n1');
  const sentAt: number[] = [];
  for (let tick = 1; tick <= 12; tick += 1) {
    cluster.tick('n1');
    if (cluster.inFlight.length > 0) sentAt.push(tick);
    cluster.deliverAll();
  }
  t.same(sentAt, [4, 8, 12]);
});

t.test('a follower appends after a matching entry and truncates a conflicting suffix', async (t) => {
  const entries: LogEntry[] = [
    { index: 1, term: 1, command: noop },
    { index: 2, term: 1, command: noop },
    { index: 3, term: 2, command: { kind: 'put', key: 'k', value: 'stale' } },
    { index: 4, term: 2, command: { kind: 'put', key: 'k', value: 'stale-too' } },
  ];
  const follower = lonelyCore('n2', ['n1', 'n2', 'n3'], {}, { hardState: { term: 2, votedFor: null }, snapshot: null, entries });
  const fromLeader: LogEntry = { index: 3, term: 3, command: noop };
  const message: AppendEntries = { type: 'AppendEntries', from: 'n1', to: 'n2', term: 3, prevLogIndex: 2, prevLogTerm: 1, entries: [fromLeader], leaderCommit: 0, readRound: 0 };
  const effects = follower.step({ type: 'message', message });
  t.same(ofType(effects, 'appendEntries'), [{ type: 'appendEntries', entries: [fromLeader] }], 'one effect: replace from index 3 on');
  t.equal(follower.status().lastLogIndex, 3, 'the conflicting entry 4 is gone too');
  t.match(sent(effects)[0], { type: 'AppendEntriesReply', success: true, matchIndex: 3 });
  const again = follower.step({ type: 'message', message: { ...message, entries: [] } });
  t.same(ofType(again, 'appendEntries'), [], 'a repeat does not rewrite matching entries');
  t.match(sent(again)[0], { success: true, matchIndex: 2 }, 'an empty message confirms only up to prevLogIndex');
});

t.test('a follower refuses AppendEntries whose previous entry it lacks or holds with another term', async (t) => {
  const entries: LogEntry[] = [
    { index: 1, term: 1, command: noop },
    { index: 2, term: 2, command: noop },
    { index: 3, term: 2, command: noop },
  ];
  const follower = lonelyCore('n2', ['n1', 'n2', 'n3'], {}, { hardState: { term: 2, votedFor: null }, snapshot: null, entries });
  const base = { type: 'AppendEntries' as const, from: 'n1', to: 'n2', term: 3, entries: [] as LogEntry[], leaderCommit: 0, readRound: 0 };
  const tooFar = sent(follower.step({ type: 'message', message: { ...base, prevLogIndex: 7, prevLogTerm: 3 } }))[0] as AppendEntriesReply;
  t.match(tooFar, { success: false, conflictTerm: null, conflictIndex: 4 }, 'hint: my log ends at 3');
  const wrongTerm = sent(follower.step({ type: 'message', message: { ...base, prevLogIndex: 3, prevLogTerm: 3 } }))[0] as AppendEntriesReply;
  t.match(wrongTerm, { success: false, conflictTerm: 2, conflictIndex: 2 }, 'hint: term 2 starts at index 2');
});

t.test('fast back-off: a long conflicting suffix is repaired in a couple of round trips', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  cluster.isolate('n1');
  for (let write = 0; write < 40; write += 1) cluster.request('n1', { op: 'put', key: 'k', value: `lost-${write}` });
  cluster.crash('n1');
  cluster.heal();
  electLeader(cluster, 'n2');
  for (let write = 0; write < 40; write += 1) cluster.request('n2', { op: 'put', key: 'k', value: `kept-${write}` });
  cluster.deliverAll();
  electLeader(cluster, 'n3');
  cluster.restart('n1');
  let rejections = 0;
  cluster.onEffects = (node, effects) => {
    for (const message of sent(effects)) if (node === 'n1' && message.type === 'AppendEntriesReply' && !message.success) rejections += 1;
  };
  for (let round = 0; round < 5; round += 1) heartbeatRound(cluster, 'n3');
  t.equal(cluster.status('n1').lastLogIndex, cluster.status('n3').lastLogIndex, 'n1 caught up');
  t.same(cluster.storage('n1').entries.map((entry) => entry.term), cluster.storage('n3').entries.map((entry) => entry.term), 'with the same terms');
  t.ok(rejections >= 1 && rejections <= 2, `${rejections} rejections for 40 conflicting entries`);
  assertSafe(t, cluster);
});

t.test('pipelining: AppendEntries go out before earlier ones are acknowledged, up to the in-flight cap', async (t) => {
  const cluster = newCluster(3, { maxInflightMessages: 3, maxEntriesPerMessage: 100 });
  electLeader(cluster, 'n1');
  for (let write = 0; write < 10; write += 1) cluster.request('n1', { op: 'put', key: `k${write}`, value: 'v' });
  const toN2 = cluster.inFlight.filter((message): message is AppendEntries => message.type === 'AppendEntries' && message.to === 'n2');
  t.same(toN2.map((message) => message.entries.map((entry) => entry.index)), [[2], [3], [4]], 'three outstanding, one write each');
  cluster.deliverFirst((message) => message.to === 'n2');
  cluster.deliverFirst((message) => message.type === 'AppendEntriesReply' && message.from === 'n2');
  const batch = cluster.inFlight.filter((message): message is AppendEntries => message.type === 'AppendEntries' && message.to === 'n2').at(-1)!;
  t.same(batch.entries.map((entry) => entry.index), [5, 6, 7, 8, 9, 10, 11], 'the writes held back go out in one batch');
  cluster.deliverAll();
  t.equal(cluster.status('n1').commitIndex, 11);
  assertSafe(t, cluster);
});

t.test('batching respects maxEntriesPerMessage', async (t) => {
  const cluster = newCluster(3, { maxInflightMessages: 1, maxEntriesPerMessage: 4 });
  electLeader(cluster, 'n1');
  for (let write = 0; write < 10; write += 1) cluster.request('n1', { op: 'put', key: 'k', value: `${write}` });
  const sizes: number[] = [];
  cluster.onEffects = (node, effects) => {
    for (const message of sent(effects)) if (message.type === 'AppendEntries' && message.to === 'n2') sizes.push(message.entries.length);
  };
  cluster.deliverAll();
  t.ok(sizes.length > 0 && sizes.every((size) => size <= 4), `batches ${JSON.stringify(sizes)}`);
  t.equal(cluster.status('n2').lastLogIndex, 11);
});

t.test('a lost AppendEntries is resent after the pipeline stalls', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  cluster.request('n1', { op: 'put', key: 'k', value: 'v' });
  t.equal(cluster.drop((message) => message.type === 'AppendEntries'), 2, 'both copies lost');
  for (let round = 0; round < 4; round += 1) heartbeatRound(cluster, 'n1');
  t.equal(cluster.status('n2').lastLogIndex, 2);
  t.equal(cluster.status('n1').commitIndex, 2);
  assertSafe(t, cluster);
});

t.test('a follower that comes back with a shorter log than it acknowledged is caught up again', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  for (let write = 0; write < 5; write += 1) cluster.request('n1', { op: 'put', key: 'k', value: `${write}` });
  cluster.deliverAll();
  t.equal(cluster.status('n3').lastLogIndex, 6);
  // n3 loses its disk (what a forget-state fault does): it restarts empty.
  cluster.crash('n3');
  const storage = cluster.storage('n3');
  storage.entries = [];
  storage.hardState = { term: 1, votedFor: null };
  cluster.restart('n3');
  for (let round = 0; round < 4; round += 1) heartbeatRound(cluster, 'n1');
  t.equal(cluster.status('n3').lastLogIndex, 6, 'replication resumed from its real log end');
});
