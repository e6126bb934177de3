// Log replication (Raft §5.3): AppendEntries, log matching, conflict back-off, commit,
// pipelining and batching.
import t from 'tap';
import type { SimCluster } from '../../raft/core/testing/sim-cluster.js';
import type { AppendEntries, AppendEntriesReply, LogEntry, NodeId } from '../../raft/core/types.js';
import { assertSafe, electLeader, heartbeatRound, lonelyCore, newCluster, ofType, sent } from './helpers.js';

const noop = { kind: 'noop' } as const;

/** The entry indexes of every AppendEntries sent to `peer` from now on, one array per message. */
function recordEntriesSentTo(cluster: SimCluster, peer: NodeId): number[][] {
  const indexes: number[][] = [];
  cluster.onEffects = (node, effects) => {
    for (const message of sent(effects)) if (message.type === 'AppendEntries' && message.to === peer) indexes.push(message.entries.map((entry) => entry.index));
  };
  return indexes;
}

t.test('a write is sent at once to the follower a commit needs, and answered after commit', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  const ref = cluster.request('n1', { op: 'put', key: 'k', value: 'v' });
  const outgoing = cluster.inFlight.filter((message): message is AppendEntries => message.type === 'AppendEntries');
  t.same(outgoing.map((message) => [message.to, message.entries.map((entry) => entry.index)]), [['n2', [2]]], 'no tick needed; n1 and n2 are a quorum, so n3 waits');
  t.equal(cluster.response(ref), undefined, 'not answered before commit');
  cluster.deliverFirst((message) => message.to === 'n2');
  t.equal(cluster.response(ref), undefined, 'still not answered: only n2 has it');
  cluster.deliverFirst((message) => message.type === 'AppendEntriesReply' && message.from === 'n2');
  t.same(cluster.response(ref), { id: ref, ok: true, term: 1, index: 2 }, 'answered once n1 and n2 hold it');
  t.equal(cluster.status('n3').lastLogIndex, 1, 'n3 does not have it yet');
  cluster.deliverAll();
  heartbeatRound(cluster, 'n1');
  t.equal(cluster.status('n3').lastLogIndex, 2, 'n3 gets it with the next heartbeat');
  t.equal(cluster.status('n3').commitIndex, 2, 'followers learn the commit index');
  assertSafe(t, cluster);
});

t.test('the follower a commit does not need gets the writes of a heartbeat interval in one message', async (t) => {
  const cluster = newCluster(3, { heartbeatIntervalTicks: 4 });
  electLeader(cluster, 'n1');
  const toN3 = recordEntriesSentTo(cluster, 'n3');
  for (let write = 0; write < 5; write += 1) {
    const ref = cluster.request('n1', { op: 'put', key: 'k', value: `${write}` });
    cluster.deliverAll();
    t.match(cluster.response(ref), { ok: true }, `write ${write} committed with n2 alone`);
  }
  t.same(toN3, [], 'nothing went to n3 yet');
  heartbeatRound(cluster, 'n1');
  t.same(toN3, [[2, 3, 4, 5, 6]], 'one message with all five');
  t.equal(cluster.status('n3').lastLogIndex, 6);
  assertSafe(t, cluster);
});

t.test('a read round sends that follower an empty AppendEntries; its writes still go with the heartbeat', async (t) => {
  const cluster = newCluster(3, { heartbeatIntervalTicks: 4 });
  electLeader(cluster, 'n1');
  const toN3 = recordEntriesSentTo(cluster, 'n3');
  const ticksBeforeHeartbeat = 3;
  for (let write = 0; write < ticksBeforeHeartbeat; write += 1) {
    cluster.tick('n1');
    cluster.deliverAll();
    const put = cluster.request('n1', { op: 'put', key: 'k', value: `${write}` });
    cluster.deliverAll();
    const get = cluster.request('n1', { op: 'get', key: 'k' });
    cluster.deliverAll();
    t.match([cluster.response(put), cluster.response(get)], [{ ok: true }, { ok: true, value: `${write}` }], `write and read ${write}`);
  }
  t.same(toN3, [[], [], []], 'each read round sent n3 a keep-alive and no entry');
  t.equal(cluster.status('n3').lastLogIndex, 1);
  cluster.tick('n1');
  t.same(toN3.at(-1), [2, 3, 4], 'the heartbeat, on time despite the read rounds, carries all three writes');
  cluster.deliverAll();
  t.equal(cluster.status('n3').lastLogIndex, 4);
  assertSafe(t, cluster);
});

t.test('a reply from that follower while a write is on its way to the other does not send it the write', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  const first = cluster.request('n1', { op: 'put', key: 'k', value: '1' });
  cluster.deliverAll();
  t.match(cluster.response(first), { ok: true });
  const read = cluster.request('n1', { op: 'get', key: 'k' });
  cluster.deliverFirst((message) => message.to === 'n2');
  cluster.deliverFirst((message) => message.type === 'AppendEntriesReply' && message.from === 'n2');
  t.match(cluster.response(read), { ok: true, value: '1' }, 'the read is answered with n2; n3\'s keep-alive is still on its way');
  cluster.request('n1', { op: 'put', key: 'k', value: '2' });
  t.same(
    cluster.inFlight.filter((message): message is AppendEntries => message.type === 'AppendEntries' && message.to === 'n2').map((message) => message.entries.length),
    [1],
    'the second write goes to n2',
  );
  cluster.deliverFirst((message) => message.to === 'n3');
  cluster.deliverFirst((message) => message.type === 'AppendEntriesReply' && message.from === 'n3');
  const toN3 = cluster.inFlight.filter((message): message is AppendEntries => message.type === 'AppendEntries' && message.to === 'n3');
  t.same(toN3, [], 'n3\'s reply to the keep-alive sends it nothing: n2 is already on the write');
  cluster.deliverAll();
  t.equal(cluster.status('n3').lastLogIndex, 1, 'n3 still has neither write');
  heartbeatRound(cluster, 'n1');
  t.equal(cluster.status('n3').lastLogIndex, 3, 'and gets both with the heartbeat');
  assertSafe(t, cluster);
});

t.test('a follower whose messages go unanswered is passed over: the next write goes to the other, with what it lacks', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  cluster.cut('n1', 'n2');
  const first = cluster.request('n1', { op: 'put', key: 'k', value: '1' });
  cluster.deliverAll();
  t.equal(cluster.response(first), undefined, 'the first write went to n2 only and waits');
  const second = cluster.request('n1', { op: 'put', key: 'k', value: '2' });
  const toN3 = cluster.inFlight.filter((message): message is AppendEntries => message.type === 'AppendEntries' && message.to === 'n3');
  t.same(toN3.map((message) => message.entries.map((entry) => entry.index)), [[2, 3]], 'n3 gets both writes at once');
  cluster.deliverAll();
  t.match([cluster.response(first), cluster.response(second)], [{ ok: true }, { ok: true }], 'both commit with n3');
  assertSafe(t, cluster);
});

t.test('a follower more than a message behind is caught up at once, not a heartbeat at a time', async (t) => {
  const cluster = newCluster(3, { maxEntriesPerMessage: 4 });
  electLeader(cluster, 'n1');
  const n3Holds: number[] = [];
  for (let write = 0; write < 5; write += 1) {
    cluster.request('n1', { op: 'put', key: 'k', value: `${write}` });
    cluster.deliverAll();
    n3Holds.push(cluster.status('n3').lastLogIndex);
  }
  t.same(n3Holds, [1, 1, 1, 1, 6], 'n3 waits while four entries behind, and gets all five once it is more than a message (4) behind');
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
  // Each write goes to the follower with fewer messages outstanding (n2 on a tie), with what it lacks.
  t.same(toN2.map((message) => message.entries.map((entry) => entry.index)), [[2], [3, 4], [5, 6]], 'three outstanding, without waiting for an answer');
  cluster.deliverFirst((message) => message.to === 'n2');
  cluster.deliverFirst((message) => message.type === 'AppendEntriesReply' && message.from === 'n2');
  const batch = cluster.inFlight.filter((message): message is AppendEntries => message.type === 'AppendEntries' && message.to === 'n2').at(-1)!;
  t.same(batch.entries.map((entry) => entry.index), [7, 8, 9, 10, 11], 'the writes held back go out in one batch');
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
  heartbeatRound(cluster, 'n1');
  t.ok(sizes.length > 0 && sizes.every((size) => size <= 4), `batches ${JSON.stringify(sizes)}`);
  t.equal(cluster.status('n2').lastLogIndex, 11);
});

t.test('a lost AppendEntries is resent after the pipeline stalls', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  cluster.request('n1', { op: 'put', key: 'k', value: 'v' });
  t.equal(cluster.drop((message) => message.type === 'AppendEntries'), 1, 'the one copy sent at once (to n2) lost');
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
  heartbeatRound(cluster, 'n1');
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

t.test('while a configuration change is uncommitted, every write goes to every follower at once', async (t) => {
  const cluster = newCluster(5);
  electLeader(cluster, 'n1');
  cluster.cut('n1', 'n5');
  cluster.request('n1', { op: 'remove-member', node: 'n5' });
  cluster.request('n1', { op: 'put', key: 'k', value: 'v' });
  const receivers = new Set(cluster.inFlight.filter((message) => message.type === 'AppendEntries' && (message as AppendEntries).entries.some((entry) => entry.index === 3)).map((message) => message.to));
  t.same([...receivers].sort(), ['n2', 'n3', 'n4'], 'the write reaches n2, n3 and n4, not only the two a commit needs');
  cluster.deliverAll();
  heartbeatRound(cluster, 'n1');
  cluster.request('n1', { op: 'put', key: 'k', value: 'w' });
  const afterCommit = new Set(cluster.inFlight.filter((message) => message.type === 'AppendEntries' && (message as AppendEntries).entries.length > 0).map((message) => message.to));
  t.same([...afterCommit].sort(), ['n2', 'n3'], 'once it committed (n1..n4 are the voters), a write goes to the two a commit needs');
  assertSafe(t, cluster);
});
