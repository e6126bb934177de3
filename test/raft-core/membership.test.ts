// Membership changes, one server at a time (Raft thesis chapter 4), one rule per test.
import t from 'tap';
import { SimCluster, type SimConfig } from '../../raft/core/testing/sim-cluster.js';
import type { NodeId } from '../../raft/core/types.js';
import { assertSafe, electLeader, heartbeatRound, logEvents } from './helpers.js';

function clusterWithSpares(config: Partial<SimConfig> = {}, spares = 2): SimCluster {
  return new SimCluster({ size: 3, spares, seed: 1, config });
}

/** Heartbeat rounds of `leader` until `done` holds (at most `rounds`). */
function roundsUntil(cluster: SimCluster, leader: NodeId, done: () => boolean, rounds = 30): boolean {
  for (let round = 0; round < rounds && !done(); round += 1) heartbeatRound(cluster, leader);
  return done();
}

function voters(cluster: SimCluster, id: NodeId): string[] {
  return (cluster.status(id).members ?? []).filter((member) => member.role === 'voter').map((member) => member.id);
}

function learners(cluster: SimCluster, id: NodeId): string[] {
  return (cluster.status(id).members ?? []).filter((member) => member.role === 'learner').map((member) => member.id);
}

t.test('a node outside the configuration never starts an election and waits to be added', async (t) => {
  const cluster = clusterWithSpares();
  cluster.tick('n4', 500);
  t.equal(cluster.status('n4').role, 'follower');
  t.equal(cluster.status('n4').term, 0, 'no election was started');
  t.same(cluster.status('n4').members, [], 'it knows no configuration');
  t.same(cluster.inFlight.filter((message) => message.from === 'n4'), [], 'it asked no one for votes');
});

t.test('add-member: the node joins as a learner, catches up, is promoted, and then counts in quorums', async (t) => {
  const cluster = clusterWithSpares();
  electLeader(cluster, 'n1');
  for (let write = 0; write < 5; write += 1) cluster.request('n1', { op: 'put', key: `k${write}`, value: `v${write}` });
  cluster.deliverAll();
  cluster.isolate('n4');
  const ref = cluster.request('n1', { op: 'add-member', node: 'n4', address: '127.0.0.1:7004' });
  cluster.deliverAll();
  t.same(learners(cluster, 'n1'), ['n4'], 'n4 is a learner first');
  t.same(voters(cluster, 'n1'), ['n1', 'n2', 'n3'], 'the voters are unchanged');
  roundsUntil(cluster, 'n1', () => false, 3);
  t.equal(cluster.response(ref), undefined, 'not answered while the learner cannot catch up');
  t.same(learners(cluster, 'n1'), ['n4'], 'an unreachable learner is not promoted');
  cluster.heal();
  t.ok(roundsUntil(cluster, 'n1', () => cluster.response(ref) !== undefined), 'answered once caught up and promoted');
  const response = cluster.response(ref);
  t.match(response, { ok: true, members: [{ id: 'n1' }, { id: 'n2' }, { id: 'n3' }, { id: 'n4', address: '127.0.0.1:7004', role: 'voter' }] });
  heartbeatRound(cluster, 'n1');
  for (const id of ['n1', 'n2', 'n3', 'n4']) t.same(voters(cluster, id), ['n1', 'n2', 'n3', 'n4'], `${id} agrees on the configuration`);
  t.equal(cluster.status('n4').lastApplied, cluster.status('n1').lastApplied, 'the new voter holds the whole log');
  // Four voters: a write needs three; with n2 and n3 cut off, n4 is the third.
  cluster.isolate('n2');
  cluster.isolate('n3');
  cluster.heal();
  cluster.cut('n1', 'n2');
  cluster.cut('n1', 'n3');
  const write = cluster.request('n1', { op: 'put', key: 'x', value: '1' });
  roundsUntil(cluster, 'n1', () => cluster.response(write) !== undefined, 3);
  t.equal(cluster.response(write), undefined, 'n1 and n4 alone are not a majority of four');
  assertSafe(t, cluster);
});

t.test('a learner catches up from a snapshot that carries the configuration', async (t) => {
  const cluster = clusterWithSpares({ snapshotThresholdEntries: 4 });
  const events: string[] = [];
  cluster.onEffects = (node, effects) => events.push(...logEvents(effects).map((event) => `${node} ${event}`));
  electLeader(cluster, 'n1');
  for (let write = 0; write < 10; write += 1) cluster.request('n1', { op: 'put', key: `k${write % 3}`, value: `v${write}` });
  cluster.deliverAll();
  const ref = cluster.request('n1', { op: 'add-member', node: 'n4', address: 'n4:1' });
  t.ok(roundsUntil(cluster, 'n1', () => cluster.response(ref) !== undefined), 'answered');
  t.ok(events.includes('n4 snapshot installed'), 'n4 installed a snapshot');
  const withLearner = cluster.storage('n1').snapshot?.configuration;
  t.ok(withLearner !== undefined, 'snapshots record the configuration');
  cluster.crash('n4');
  cluster.restart('n4');
  t.same(voters(cluster, 'n4'), ['n1', 'n2', 'n3', 'n4'], 'n4 recovers the configuration from its snapshot and log');
  assertSafe(t, cluster);
});

t.test('at most one change is uncommitted: a second one waits until the first commits', async (t) => {
  const cluster = clusterWithSpares();
  electLeader(cluster, 'n1');
  cluster.cut('n1', 'n2');
  cluster.cut('n1', 'n3');
  const first = cluster.request('n1', { op: 'remove-member', node: 'n3' });
  const second = cluster.request('n1', { op: 'remove-member', node: 'n2' });
  const configurationEntries = () => cluster.storage('n1').entries.filter((entry) => entry.command.kind === 'configuration').length;
  t.equal(configurationEntries(), 1, 'only the first change is appended');
  cluster.heal();
  t.ok(roundsUntil(cluster, 'n1', () => cluster.response(first) !== undefined && cluster.response(second) !== undefined), 'both answered');
  t.match(cluster.response(first), { ok: true });
  t.match(cluster.response(second), { ok: true });
  t.equal(configurationEntries(), 2, 'then the second');
  t.same(voters(cluster, 'n1'), ['n1']);
  assertSafe(t, cluster);
});

t.test('a new leader changes membership only after committing an entry of its own term', async (t) => {
  const cluster = clusterWithSpares();
  electLeader(cluster, 'n1');
  cluster.tick('n2', 30);
  t.equal(cluster.status('n2').role, 'candidate');
  cluster.deliverFirst((message) => message.type === 'RequestVote' && message.to === 'n3');
  cluster.deliverFirst((message) => message.type === 'RequestVoteReply' && message.to === 'n2');
  t.equal(cluster.status('n2').role, 'leader', 'n2 leads, its noop not yet committed');
  const ref = cluster.request('n2', { op: 'add-member', node: 'n4', address: 'n4:1' });
  t.notOk(cluster.storage('n2').entries.some((entry) => entry.command.kind === 'configuration'), 'no configuration entry before the noop commits');
  t.ok(roundsUntil(cluster, 'n2', () => cluster.response(ref) !== undefined), 'the change goes ahead afterwards');
  t.match(cluster.response(ref), { ok: true });
  assertSafe(t, cluster);
});

t.test('a leader that removes itself steps down once the change commits, and never starts an election again', async (t) => {
  const cluster = clusterWithSpares();
  electLeader(cluster, 'n1');
  const ref = cluster.request('n1', { op: 'remove-member', node: 'n1' });
  t.equal(cluster.status('n1').role, 'leader', 'still leading while the change is uncommitted');
  cluster.deliverAll();
  t.match(cluster.response(ref), { ok: true }, 'answered before stepping down');
  t.equal(cluster.status('n1').role, 'follower', 'stepped down');
  heartbeatRound(cluster, 'n1');
  const term = cluster.status('n1').term;
  cluster.tick('n1', 500);
  t.equal(cluster.status('n1').term, term, 'the removed node started no election');
  for (let attempt = 0; attempt < 20 && cluster.leaders().length === 0; attempt += 1) {
    cluster.tickAll(1);
    cluster.deliverAll();
  }
  const leader = cluster.leaders()[0];
  t.ok(leader === 'n2' || leader === 'n3', `the remaining voters elected ${leader}`);
  t.same(voters(cluster, leader!), ['n2', 'n3']);
  assertSafe(t, cluster);
});

t.test('a removed node that missed its removal cannot depose a working leader', async (t) => {
  const cluster = clusterWithSpares({ electionTimeoutTicksMin: 10, electionTimeoutTicksMax: 12 });
  electLeader(cluster, 'n1');
  cluster.isolate('n3');
  const ref = cluster.request('n1', { op: 'remove-member', node: 'n3' });
  cluster.deliverAll();
  t.match(cluster.response(ref), { ok: true });
  cluster.heal();
  cluster.tick('n3', 12);
  t.equal(cluster.status('n3').role, 'candidate', 'n3 still believes it is a voter');
  cluster.deliverAll();
  t.equal(cluster.status('n1').role, 'leader', 'n1 ignored the vote request and leads on');
  t.equal(cluster.status('n1').term, 1);
  assertSafe(t, cluster);
});

t.test('a configuration entry takes effect when appended, and truncating it reverts the configuration', async (t) => {
  const cluster = new SimCluster({ size: 5, spares: 1, seed: 1 });
  electLeader(cluster, 'n1');
  for (const other of ['n3', 'n4', 'n5']) cluster.cut('n1', other);
  cluster.request('n1', { op: 'add-member', node: 'n6', address: 'n6:1' });
  cluster.deliverAll();
  t.same(learners(cluster, 'n2'), ['n6'], 'n2 uses the configuration as soon as it holds it, uncommitted');
  cluster.heal();
  cluster.isolate('n1');
  cluster.cut('n2', 'n3');
  electLeader(cluster, 'n3');
  t.same(learners(cluster, 'n3'), [], 'n3 never had it');
  cluster.heal();
  cluster.isolate('n1');
  heartbeatRound(cluster, 'n3');
  heartbeatRound(cluster, 'n3');
  t.same(learners(cluster, 'n2'), [], 'n2 reverted when the new leader overwrote the entry');
  assertSafe(t, cluster);
});

t.test('members is answered by the leader; removing the only voter is refused', async (t) => {
  const cluster = new SimCluster({ size: 1, seed: 1 });
  electLeader(cluster, 'n1');
  const list = cluster.request('n1', { op: 'members' });
  t.match(cluster.response(list), { ok: true, leader: 'n1', committed: true, members: [{ id: 'n1', role: 'voter' }] });
  const refused = cluster.request('n1', { op: 'remove-member', node: 'n1' });
  t.match(cluster.response(refused), { ok: false, error: 'bad_request', message: /only voter/ });
  const three = clusterWithSpares();
  electLeader(three, 'n1');
  t.match(three.response(three.request('n2', { op: 'members' })), { ok: false, error: 'not_leader', leader: 'n1' });
});

t.test('a leader that lost leadership before its own removal committed stands again to commit it', async (t) => {
  const cluster = clusterWithSpares({ electionTimeoutTicksMin: 10, electionTimeoutTicksMax: 12 });
  electLeader(cluster, 'n1');
  const first = cluster.request('n1', { op: 'remove-member', node: 'n2' });
  cluster.deliverAll();
  t.match(cluster.response(first), { ok: true });
  cluster.crash('n2');
  cluster.cut('n1', 'n3');
  cluster.request('n1', { op: 'remove-member', node: 'n1' });
  cluster.tick('n1', 30);
  t.equal(cluster.status('n1').role, 'follower', 'n1 lost its only voter (n3) and stepped down, its removal uncommitted');
  t.same(voters(cluster, 'n3'), ['n1', 'n3'], 'n3 never saw the removal, and needs n1 to win');
  cluster.heal();
  for (let round = 0; round < 50 && !(cluster.status('n3').role === 'leader' && voters(cluster, 'n3').join() === 'n3'); round += 1) {
    cluster.tickAll(1);
    cluster.deliverAll();
  }
  t.equal(cluster.status('n3').role, 'leader', 'n3 leads in the end');
  t.same(voters(cluster, 'n3'), ['n3'], 'with the removal of n1 committed');
  assertSafe(t, cluster);
});
