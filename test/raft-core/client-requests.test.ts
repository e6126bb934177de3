// How the core answers clients: not_leader with a hint, status anywhere, timeout and
// unavailable (both indefinite), and de-duplication of retried writes.
import t from 'tap';
import { assertSafe, electLeader, heartbeatRound, lonelyCore, newCluster } from './helpers.js';

t.test('a follower answers not_leader with the leader it knows, or null', async (t) => {
  const cluster = newCluster(3);
  const before = cluster.request('n2', { op: 'put', key: 'k', value: 'v' });
  t.same(cluster.response(before), { id: before, ok: false, error: 'not_leader', leader: null }, 'no leader known yet');
  electLeader(cluster, 'n1');
  const after = cluster.request('n2', { op: 'get', key: 'k' });
  t.same(cluster.response(after), { id: after, ok: false, error: 'not_leader', leader: 'n1' });
  t.equal(cluster.status('n2').lastLogIndex, 1, 'nothing was appended for the refused write');
});

t.test('any node answers status with its own view', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  for (const id of cluster.ids) {
    const ref = cluster.request(id, { op: 'status' });
    t.same(cluster.response(ref), {
      id: ref,
      ok: true,
      node: id,
      role: id === 'n1' ? 'leader' : 'follower',
      term: 1,
      leader: 'n1',
      commitIndex: id === 'n1' ? 1 : 0,
      lastApplied: id === 'n1' ? 1 : 0,
      lastLogIndex: 1,
      configurationIndex: 0,
      members: cluster.ids.map((member) => ({ id: member, address: null, role: 'voter' })),
    });
  }
});

t.test('a write not committed within requestTimeoutTicks is answered timeout', async (t) => {
  const cluster = newCluster(3, { requestTimeoutTicks: 8, electionTimeoutTicksMax: 1000, electionTimeoutTicksMin: 1000 });
  electLeader(cluster, 'n1');
  cluster.isolate('n1');
  const ref = cluster.request('n1', { op: 'put', key: 'k', value: 'v' });
  cluster.tick('n1', 7);
  t.equal(cluster.response(ref), undefined, 'still waiting after 7 ticks');
  cluster.tick('n1', 1);
  t.same(cluster.response(ref), { id: ref, ok: false, error: 'timeout' });
});

t.test('requests pending when the leader steps down are answered unavailable', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  cluster.isolate('n1');
  const write = cluster.request('n1', { op: 'put', key: 'k', value: 'v' });
  const read = cluster.request('n1', { op: 'get', key: 'k' });
  cluster.tick('n2', 20);
  cluster.deliverAll();
  cluster.heal();
  heartbeatRound(cluster, 'n2');
  t.equal(cluster.status('n1').role, 'follower');
  t.same(cluster.response(write), { id: write, ok: false, error: 'unavailable' });
  t.same(cluster.response(read), { id: read, ok: false, error: 'unavailable' });
  assertSafe(t, cluster);
});

t.test('cas writes: success, mismatch with the current value, and from null', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  const answers: unknown[] = [];
  const run = (request: Parameters<typeof cluster.request>[1]): void => {
    const ref = cluster.request('n1', request);
    cluster.deliverAll();
    const { id: _id, term: _term, index: _index, ...rest } = cluster.response(ref) as Record<string, unknown>;
    answers.push(rest);
  };
  run({ op: 'cas', key: 'k', from: null, to: 'a' });
  run({ op: 'cas', key: 'k', from: null, to: 'b' });
  run({ op: 'cas', key: 'k', from: 'a', to: 'c' });
  run({ op: 'cas', key: 'k', from: 'a', to: 'd' });
  run({ op: 'delete', key: 'k' });
  run({ op: 'cas', key: 'k', from: 'c', to: 'e' });
  t.same(answers, [
    { ok: true },
    { ok: false, error: 'cas_mismatch', value: 'a' },
    { ok: true },
    { ok: false, error: 'cas_mismatch', value: 'c' },
    { ok: true },
    { ok: false, error: 'cas_mismatch', value: null },
  ]);
});

t.test('a retried (client, seq) is applied at most once and answered with the recorded result', async (t) => {
  const cluster = newCluster(3);
  electLeader(cluster, 'n1');
  const first = cluster.request('n1', { op: 'cas', key: 'k', from: null, to: 'a', client: 'c1', seq: 1 });
  const retry = cluster.request('n1', { op: 'cas', key: 'k', from: null, to: 'a', client: 'c1', seq: 1 });
  cluster.deliverAll();
  t.match(cluster.response(first), { ok: true, index: 2 });
  t.match(cluster.response(retry), { ok: true, index: 3 }, 'the retry gets the first result, not cas_mismatch');
  const other = cluster.request('n1', { op: 'put', key: 'k', value: 'b', client: 'c2', seq: 1 });
  cluster.deliverAll();
  t.match(cluster.response(other), { ok: true });
  const late = cluster.request('n1', { op: 'put', key: 'k', value: 'a-again', client: 'c1', seq: 1 });
  cluster.deliverAll();
  t.match(cluster.response(late), { ok: true });
  const read = cluster.request('n1', { op: 'get', key: 'k' });
  cluster.deliverAll();
  t.match(cluster.response(read), { ok: true, value: 'b' }, 'the late duplicate did not overwrite the newer value');
  assertSafe(t, cluster);
});

t.test('a single-node cluster commits and answers at once', async (t) => {
  const core = lonelyCore('solo', ['solo'], { electionTimeoutTicksMin: 2, electionTimeoutTicksMax: 2 });
  core.step({ type: 'tick' });
  core.step({ type: 'tick' });
  t.equal(core.status().role, 'leader');
  const write = core.step({ type: 'request', ref: 1, request: { id: 1, op: 'put', key: 'k', value: 'v' } });
  t.match(write.filter((effect) => effect.type === 'reply'), [{ response: { id: 1, ok: true, index: 2 } }]);
  const read = core.step({ type: 'request', ref: 2, request: { id: 2, op: 'get', key: 'k' } });
  t.match(read.filter((effect) => effect.type === 'reply'), [{ response: { id: 2, ok: true, value: 'v' } }]);
});
