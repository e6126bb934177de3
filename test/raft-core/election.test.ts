// Leader election (Raft §5.2, §5.4.1), one rule per test.
import t from 'tap';
import type { RequestVote } from '../../raft/core/types.js';
import { assertSafe, electLeader, logEvents, lonelyCore, newCluster, ofType, sent } from './helpers.js';

t.test('a follower that hears nothing for its election timeout becomes candidate of a new term', async (t) => {
  const core = lonelyCore('n1', ['n1', 'n2', 'n3'], { electionTimeoutTicksMin: 5, electionTimeoutTicksMax: 5 });
  for (let tick = 1; tick < 5; tick += 1) t.same(core.step({ type: 'tick' }), [], `tick ${tick}: nothing yet`);
  const effects = core.step({ type: 'tick' });
  t.equal(core.status().role, 'candidate');
  t.equal(core.status().term, 1);
  t.same(ofType(effects, 'persistState').map((effect) => effect.state), [{ term: 1, votedFor: 'n1' }], 'votes for itself, durably');
  const requests = sent(effects) as RequestVote[];
  t.same(requests.map((message) => [message.type, message.to, message.term]), [['RequestVote', 'n2', 1], ['RequestVote', 'n3', 1]]);
  const persistAt = effects.findIndex((effect) => effect.type === 'persistState');
  const firstSendAt = effects.findIndex((effect) => effect.type === 'send');
  t.ok(persistAt < firstSendAt, 'the vote for itself is persisted before any request goes out');
  t.ok(logEvents(effects).includes('election started'), 'the node log shows the election');
});

t.test('election timeouts are drawn from [min, max] by the injected random source', async (t) => {
  const timeouts = new Set<number>();
  for (const value of [0, 0.2, 0.5, 0.99]) {
    const core = lonelyCore('n1', ['n1', 'n2', 'n3'], { electionTimeoutTicksMin: 10, electionTimeoutTicksMax: 20, random: () => value });
    let ticks = 0;
    while (core.status().role === 'follower' && ticks < 100) {
      core.step({ type: 'tick' });
      ticks += 1;
    }
    t.ok(ticks >= 10 && ticks <= 20, `timeout ${ticks} within [10, 20] for random ${value}`);
    timeouts.add(ticks);
  }
  t.ok(timeouts.size >= 3, 'different random draws give different timeouts');
});

t.test('a candidate with a majority of votes becomes leader and appends a noop of its term', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  t.equal(cluster.status('n1').role, 'leader');
  t.equal(cluster.status('n2').leader, 'n1');
  t.equal(cluster.status('n3').leader, 'n1');
  const entry = cluster.storage('n1').entries[0]!;
  t.same(entry, { index: 1, term: 1, command: { kind: 'noop' } });
  t.equal(cluster.status('n2').lastLogIndex, 1, 'the noop is replicated');
  t.equal(cluster.status('n1').commitIndex, 1, 'and committed');
  assertSafe(t, cluster);
});

t.test('a node grants at most one vote per term, even across a restart', async (t) => {
  const cluster = newCluster(3);
  cluster.tick('n1', 20);
  cluster.tick('n3', 20);
  t.equal(cluster.status('n1').term, 1);
  t.equal(cluster.status('n3').term, 1);
  t.ok(cluster.deliverFirst((message) => message.type === 'RequestVote' && message.from === 'n1' && message.to === 'n2'));
  t.same(cluster.storage('n2').hardState, { term: 1, votedFor: 'n1' }, 'the vote is durable');
  cluster.crash('n2');
  cluster.restart('n2');
  t.ok(cluster.deliverFirst((message) => message.type === 'RequestVote' && message.from === 'n3' && message.to === 'n2'));
  const replies = cluster.inFlight.filter((message) => message.type === 'RequestVoteReply' && message.from === 'n2');
  t.same(
    replies.map((message) => [message.to, message.type === 'RequestVoteReply' && message.voteGranted]),
    [['n1', true], ['n3', false]],
    'n1 got the vote, n3 did not',
  );
  cluster.deliverAll();
  t.same(cluster.leaders(), ['n1']);
  assertSafe(t, cluster);
});

t.test('a vote is refused to a candidate whose log is less up to date', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  cluster.isolate('n3');
  cluster.request('n1', { op: 'put', key: 'k', value: 'v' });
  cluster.deliverAll();
  t.equal(cluster.status('n2').lastLogIndex, 2);
  t.equal(cluster.status('n3').lastLogIndex, 1, 'n3 missed the write');
  cluster.crash('n1');
  cluster.heal();
  cluster.tick('n3', 20);
  t.equal(cluster.status('n3').role, 'candidate');
  cluster.deliverAll();
  t.not(cluster.status('n3').role, 'leader', 'n2 refused: its log has a later entry');
  t.equal(cluster.storage('n2').hardState.votedFor, null, 'n2 adopted the term without voting');
  electLeader(cluster, 'n2');
  t.equal(cluster.status('n3').lastLogIndex, 3, 'the up-to-date node won and brought n3 along');
  assertSafe(t, cluster);
});

t.test('a candidate with a shorter log of the same last term is refused too', async (t) => {
  const core = lonelyCore('n2', ['n1', 'n2', 'n3'], {}, {
    hardState: { term: 1, votedFor: null },
    snapshot: null,
    entries: [
      { index: 1, term: 1, command: { kind: 'noop' } },
      { index: 2, term: 1, command: { kind: 'noop' } },
    ],
  });
  const effects = core.step({
    type: 'message',
    message: { type: 'RequestVote', from: 'n3', to: 'n2', term: 2, lastLogIndex: 1, lastLogTerm: 1 },
  });
  const reply = sent(effects)[0]!;
  t.match(reply, { type: 'RequestVoteReply', voteGranted: false, term: 2 });
});

t.test('a leader that sees a higher term steps down and adopts it', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  cluster.isolate('n1');
  cluster.tick('n2', 20);
  cluster.deliverAll();
  t.equal(cluster.status('n2').role, 'leader');
  t.equal(cluster.status('n1').role, 'leader', 'the old leader does not know yet');
  cluster.heal();
  cluster.tick('n2', cluster.config.heartbeatIntervalTicks);
  cluster.tick('n1', cluster.config.heartbeatIntervalTicks);
  cluster.deliverAll();
  t.equal(cluster.status('n1').role, 'follower');
  t.equal(cluster.status('n1').term, cluster.status('n2').term);
  t.equal(cluster.status('n1').leader, 'n2');
  assertSafe(t, cluster);
});

t.test('a leader without a quorum for an election timeout steps down', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  cluster.isolate('n1');
  const events: string[] = [];
  cluster.onEffects = (node, effects) => events.push(...logEvents(effects).map((event) => `${node} ${event}`));
  let ticks = 0;
  while (cluster.status('n1').role === 'leader' && ticks < 10 * cluster.config.electionTimeoutTicksMax) {
    cluster.tick('n1');
    cluster.deliverAll();
    ticks += 1;
  }
  t.equal(cluster.status('n1').role, 'follower');
  t.ok(ticks <= 2 * cluster.config.electionTimeoutTicksMax, `stepped down after ${ticks} ticks`);
  t.ok(events.includes('n1 leader lost quorum'), 'the node log says why');
  assertSafe(t, cluster);
});

t.test('a node with a vote in the current term does not grant another, doubleVote bug mode does', async (t) => {
  for (const doubleVote of [false, true]) {
    const core = lonelyCore('n2', ['n1', 'n2', 'n3'], { bugs: { staleReads: false, ackBeforeCommit: false, commitOldTermByCounting: false, unsafeMembershipChanges: false, doubleVote } });
    core.step({ type: 'message', message: { type: 'RequestVote', from: 'n1', to: 'n2', term: 1, lastLogIndex: 0, lastLogTerm: 0 } });
    const effects = core.step({ type: 'message', message: { type: 'RequestVote', from: 'n3', to: 'n2', term: 1, lastLogIndex: 0, lastLogTerm: 0 } });
    t.match(sent(effects)[0], { type: 'RequestVoteReply', to: 'n3', voteGranted: doubleVote }, `doubleVote ${doubleVote}`);
  }
});

t.test('pre-vote: a node cut off from the cluster does not raise its term, and does not depose the leader on return', async (t) => {
  const cluster = newCluster(3, { preVote: true });
  const events: string[] = [];
  cluster.onEffects = (node, effects) => events.push(...logEvents(effects).map((event) => `${node} ${event}`));
  for (let tick = 0; tick < 40 && cluster.leaders().length === 0; tick += 1) {
    cluster.tickAll();
    cluster.deliverAll();
  }
  const [leader] = cluster.leaders();
  t.ok(leader !== undefined, 'a leader is elected through pre-votes');
  t.ok(events.some((event) => event.endsWith('pre-vote won')));
  const term = cluster.status(leader!).term;
  const outsider = cluster.ids.find((id) => id !== leader)!;
  cluster.isolate(outsider);
  for (let tick = 0; tick < 100; tick += 1) {
    cluster.tickAll();
    cluster.deliverAll();
  }
  t.equal(cluster.status(outsider).term, term, 'the outsider kept asking for pre-votes without raising its term');
  cluster.heal();
  for (let tick = 0; tick < 30; tick += 1) {
    cluster.tickAll();
    cluster.deliverAll();
  }
  t.same(cluster.leaders(), [leader], 'the leader stays');
  t.equal(cluster.status(leader!).term, term, 'in the same term');
  t.equal(cluster.status(outsider).leader, leader, 'the outsider follows it again');
  assertSafe(t, cluster);
});

t.test('pre-vote: a follower that hears from its leader refuses, one that does not grants without changing state', async (t) => {
  const core = lonelyCore('n2', ['n1', 'n2', 'n3'], { preVote: true, electionTimeoutTicksMin: 10, electionTimeoutTicksMax: 20, random: () => 0.99 });
  const heartbeat = { type: 'AppendEntries' as const, from: 'n1', to: 'n2', term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, readRound: 0 };
  core.step({ type: 'message', message: heartbeat });
  const ask = { type: 'RequestVote' as const, from: 'n3', to: 'n2', term: 2, lastLogIndex: 0, lastLogTerm: 0, preVote: true };
  t.match(sent(core.step({ type: 'message', message: ask }))[0], { type: 'RequestVoteReply', voteGranted: false, preVote: true, term: 1 });
  for (let tick = 0; tick < 12; tick += 1) core.step({ type: 'tick' });
  t.equal(core.status().role, 'follower', 'its own election timeout (20) has not passed');
  const effects = core.step({ type: 'message', message: ask });
  t.match(sent(effects)[0], { type: 'RequestVoteReply', voteGranted: true, preVote: true, term: 2 }, 'no word from n1 for a while');
  t.same(ofType(effects, 'persistState'), [], 'nothing persisted');
  t.match(core.status(), { term: 1, leader: 'n1' }, 'term and leader unchanged');
});
