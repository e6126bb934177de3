// Membership changes on real raft-server processes on loopback: a node started with RAFT_JOIN
// waits to be added, add-member makes it a voter that counts in quorums, the configuration
// survives restarts, and remove-member of the leader makes it step down for good.
import t from 'tap';
import { TestCluster, until } from './test-cluster.js';

const founders = ['raft-0', 'raft-1', 'raft-2'];
const timing = { RAFT_ELECTION_TIMEOUT_MS_MIN: '300', RAFT_ELECTION_TIMEOUT_MS_MAX: '600', RAFT_HEARTBEAT_MS: '50' };

interface Member {
  id: string;
  role: string;
}

async function members(cluster: TestCluster, node: string): Promise<string[]> {
  const status = await cluster.call(node, { op: 'status' });
  return ((status.members ?? []) as Member[]).map((member) => `${member.id}:${member.role}`);
}

/** Writes through `leader` one after another until `durationMs` has passed (at most 1000 writes). */
async function writeFor(cluster: TestCluster, leader: string, durationMs: number): Promise<void> {
  const end = performance.now() + durationMs;
  for (let write = 0; write < 1000 && performance.now() < end; write += 1) await cluster.call(leader, { op: 'put', key: 'busy', value: String(write) }, 15_000);
}

/** The founders' leader, by their own statuses (a node waiting to be added knows no leader). */
async function leaderAmong(cluster: TestCluster, nodes: string[]): Promise<string> {
  return until(`one leader among ${nodes.join(', ')}`, 45_000, async () => {
    const statuses = await Promise.all(nodes.filter((node) => cluster.isRunning(node)).map((node) => cluster.call(node, { op: 'status' }, 2000)));
    const leaders = statuses.filter((status) => status.role === 'leader');
    return leaders.length === 1 ? (leaders[0]!.node as string) : undefined;
  });
}

t.test('a joining node waits, is added as a voter, counts in quorums, and the configuration survives restarts', async (t) => {
  const cluster = await TestCluster.create(t, 4, timing);
  await Promise.all(founders.map((node) => cluster.start(node, {}, 40_000, founders)));
  let leader = await leaderAmong(cluster, founders);
  t.match(await cluster.call(leader, { op: 'put', key: 'before', value: 'grow' }), { ok: true });

  await cluster.start('raft-3', { RAFT_JOIN: 'true' });
  const waiting = await cluster.call('raft-3', { op: 'status' });
  t.match(waiting, { role: 'follower', term: 0, members: [] }, 'the joining node is in no configuration');
  t.match(await cluster.call(leader, { op: 'add-member', node: 'raft-3', address: 'not an address' }), { ok: false, error: 'bad_request' });

  const addedAtMs = performance.now();
  const added = await cluster.call(leader, { op: 'add-member', node: 'raft-3', address: `127.0.0.1:${cluster.ports.get('raft-3')}` }, 15_000);
  t.match(added, { ok: true }, 'add-member is acknowledged');
  t.comment(`add-member answered after ${Math.round(performance.now() - addedAtMs)} ms (the new node votes from then on)`);
  const everyone = ['raft-0:voter', 'raft-1:voter', 'raft-2:voter', 'raft-3:voter'];
  for (const node of cluster.nodes) {
    t.same(await until(`${node} to see four voters`, 15_000, async () => ((await members(cluster, node)).join() === everyone.join() ? members(cluster, node) : undefined)), everyone, `${node} agrees`);
  }
  t.same(cluster.events('raft-3', 'became-candidate'), [], 'the new node never stood for election while joining');

  // Four voters: with two founders down, the leader and raft-3 are not a majority; with one down they are.
  const [stopped] = founders.filter((node) => node !== leader);
  await cluster.signal(stopped!, 'SIGTERM');
  leader = await leaderAmong(cluster, cluster.nodes);
  t.match(await cluster.call(leader, { op: 'put', key: 'after', value: 'grow' }, 15_000), { ok: true }, 'a write commits with raft-3 in the quorum');
  const reading = await cluster.call(leader, { op: 'get', key: 'before' });
  t.equal(reading.value, 'grow');

  await cluster.start(stopped!, {}, 40_000, founders);
  t.same(await members(cluster, stopped!), everyone, 'a restarted founder recovers the configuration from its log, not RAFT_PEERS');
});

t.test('RAFT_MEMBERS: spares are not voters at launch, and once added are dialled at their RAFT_PEERS address', async (t) => {
  const cluster = await TestCluster.create(t, 4, timing);
  const launch = { RAFT_MEMBERS: founders.join(',') };
  // Two of the three founders are a majority only if the spare raft-3 is not a voter.
  await Promise.all(['raft-0', 'raft-1'].map((node) => cluster.start(node, launch)));
  const leader = await leaderAmong(cluster, ['raft-0', 'raft-1']);
  t.match(await cluster.call(leader, { op: 'put', key: 'k', value: 'two of three' }, 15_000), { ok: true }, 'two founders commit without the spare');
  t.same(await members(cluster, leader), founders.map((node) => `${node}:voter`), 'the launch configuration is RAFT_MEMBERS');

  await cluster.start('raft-3', { ...launch, RAFT_JOIN: 'true' });
  // The address given to add-member is unreachable: the leader must dial the spare's RAFT_PEERS address.
  const added = await cluster.call(leader, { op: 'add-member', node: 'raft-3', address: '127.0.0.1:1' }, 15_000);
  t.match(added, { ok: true }, 'the spare caught up through its RAFT_PEERS address and was promoted');
  t.same(await members(cluster, 'raft-3'), [...founders, 'raft-3'].map((node) => `${node}:voter`), 'the spare knows itself a voter');
});

t.test('a leader that removes itself steps down once the change commits and never stands for election again', async (t) => {
  const cluster = await TestCluster.create(t, 3, timing);
  await cluster.startAll();
  const leader = await cluster.waitForLeader();
  const removed = await cluster.call(leader, { op: 'remove-member', node: leader }, 15_000);
  t.match(removed, { ok: true }, 'remove-member is acknowledged');
  const rest = cluster.nodes.filter((node) => node !== leader);
  const next = await leaderAmong(cluster, rest);
  t.not(next, leader, `${next} leads the remaining two`);
  t.same(await members(cluster, next), rest.map((node) => `${node}:voter`));
  t.match(await cluster.call(next, { op: 'put', key: 'k', value: 'v' }, 15_000), { ok: true }, 'the two remaining voters commit');
  // The removed node hears from no one any more: keep the others busy for several of its election timeouts.
  const candidaciesBefore = cluster.events(leader, 'became-candidate').length;
  const candidacies = () => cluster.events(leader, 'became-candidate').slice(candidaciesBefore);
  await writeFor(cluster, next, 2 * Number(timing.RAFT_ELECTION_TIMEOUT_MS_MAX));
  t.same(candidacies(), [], 'the removed node started no election');
  await cluster.signal(leader, 'SIGTERM');
  await cluster.start(leader);
  t.same((await cluster.call(leader, { op: 'status' })).members, (await cluster.call(next, { op: 'status' })).members, 'restarted, it still knows it was removed');
  await writeFor(cluster, next, 2 * Number(timing.RAFT_ELECTION_TIMEOUT_MS_MAX));
  t.same(candidacies(), [], 'and still starts no election');
  t.same(cluster.termsWithTwoLeaders(), []);
});
