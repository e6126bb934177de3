import t, { type Test } from 'tap';
import { RaftClient, type RaftClientOptions } from '../../raft/client/raft-client.js';
import { startScriptedTestServer, unusedAddress, type Script, type ScriptedTestServer } from '../fixtures/client/scripted-test-server.js';

const silent: Script = () => undefined;
const notLeader = (leader: string | null): Script => (request, connection) => connection.reply({ id: request.id, ok: false, error: 'not_leader', leader });
const succeed: Script = (request, connection) => connection.reply({ id: request.id, ok: true, value: request.op === 'get' ? 'v' : undefined, term: 3, index: 9 });

interface Cluster {
  servers: Record<string, ScriptedTestServer>;
  addresses: Record<string, string>;
  client: RaftClient;
  /** Requests each node received, by op. */
  received(op?: string): Record<string, number>;
}

async function scriptedCluster(t: Test, scripts: Record<string, Script>, options: Partial<RaftClientOptions> = {}): Promise<Cluster> {
  const servers: Record<string, ScriptedTestServer> = {};
  for (const [node, script] of Object.entries(scripts)) servers[node] = await startScriptedTestServer(script);
  const addresses = Object.fromEntries(Object.entries(servers).map(([node, server]) => [node, server.address]));
  const client = new RaftClient({ addresses, requestTimeoutMs: 10_000, ...options });
  t.teardown(async () => {
    client.close();
    for (const server of Object.values(servers)) await server.close();
  });
  const received = (op?: string) =>
    Object.fromEntries(Object.entries(servers).map(([node, server]) => [node, server.requests.filter((request) => op === undefined || request.op === op).length]));
  return { servers, addresses, client, received };
}

t.test('follows a not_leader hint to the named node and remembers it', async (t) => {
  const { client, received } = await scriptedCluster(t, { 'raft-0': notLeader('raft-2'), 'raft-1': notLeader('raft-2'), 'raft-2': succeed });
  t.same(await client.put('k', 'v'), { ok: true, node: 'raft-2', term: 3, index: 9 });
  t.same(received(), { 'raft-0': 1, 'raft-1': 0, 'raft-2': 1 }, 'went straight from the hint to raft-2');
  t.equal(client.leader, 'raft-2');
  t.same(await client.get('k'), { ok: true, node: 'raft-2', value: 'v', term: 3, index: 9 });
  t.same(received(), { 'raft-0': 1, 'raft-1': 0, 'raft-2': 2 }, 'the remembered leader is asked first');
});

t.test('discovers the leader past a dead node and nodes that know no leader', async (t) => {
  const { addresses, received } = await scriptedCluster(t, { 'raft-1': notLeader(null), 'raft-2': succeed });
  const dead = new RaftClient({ addresses: { 'raft-0': await unusedAddress(), ...addresses }, requestTimeoutMs: 10_000 });
  t.teardown(() => dead.close());
  t.match(await dead.put('k', 'v'), { ok: true, node: 'raft-2' });
  t.same(received(), { 'raft-1': 1, 'raft-2': 1 });
});

t.test('findLeader asks every node for its status and picks the leader of the highest term', async (t) => {
  const status = (role: string, term: number, leader: string | null): Script => (request, connection) =>
    connection.reply({ id: request.id, ok: true, node: 'x', role, term, leader, commitIndex: 1, lastApplied: 1, lastLogIndex: 1 });
  const { client } = await scriptedCluster(t, { 'raft-0': status('leader', 4, 'raft-0'), 'raft-1': status('leader', 5, 'raft-1'), 'raft-2': status('follower', 5, 'raft-1') });
  t.match(await client.status('raft-2'), { ok: true, node: 'raft-2', status: { role: 'follower', term: 5, leader: 'raft-1' } });
  t.equal(await client.findLeader(), 'x', 'named by what the node says about itself');
});

t.test('no answer within the request timeout is indefinite and a write is not retried', async (t) => {
  const { client, received } = await scriptedCluster(t, { 'raft-0': silent, 'raft-1': succeed }, { requestTimeoutMs: 200 });
  t.match(await client.put('k', 'v'), { ok: false, error: 'no_response', definite: false, node: 'raft-0' });
  t.same(received(), { 'raft-0': 1, 'raft-1': 0 });
  t.equal(client.leader, null);
});

t.test('a server timeout or unavailable answer is indefinite and not retried without dedup', async (t) => {
  for (const error of ['timeout', 'unavailable', 'some_future_error']) {
    const { client, received } = await scriptedCluster(t, { 'raft-0': (request, connection) => connection.reply({ id: request.id, ok: false, error }), 'raft-1': succeed });
    t.match(await client.delete('k'), { ok: false, error, definite: false, node: 'raft-0' }, error);
    t.same(received(), { 'raft-0': 1, 'raft-1': 0 });
  }
});

t.test('a connection dropped mid-request is indefinite and a write without dedup is not retried', async (t) => {
  const drop: Script = (request, connection) => connection.drop();
  const { client, received } = await scriptedCluster(t, { 'raft-0': drop, 'raft-1': succeed, 'raft-2': succeed });
  t.match(await client.put('k', 'v'), { ok: false, error: 'connection_lost', definite: false, node: 'raft-0' });
  t.same(received('put'), { 'raft-0': 1, 'raft-1': 0, 'raft-2': 0 });
  const everywhere = await scriptedCluster(t, { 'raft-0': drop, 'raft-1': drop, 'raft-2': drop });
  t.match(await everywhere.client.cas('k', 'a', 'b'), { ok: false, error: 'connection_lost', definite: false });
  t.same(Object.values(everywhere.received('cas')).reduce((sum, count) => sum + count, 0), 1, 'the cas was sent exactly once');
});

t.test('a get is retried elsewhere after an indefinite failure', async (t) => {
  const drop: Script = (request, connection) => connection.drop();
  const { client } = await scriptedCluster(t, { 'raft-0': drop, 'raft-1': succeed });
  t.match(await client.get('k'), { ok: true, node: 'raft-1', value: 'v' });
});

t.test('with a client id, a write is retried after an indefinite failure carrying the same (client, seq)', async (t) => {
  let dropped = 0;
  const leaderThatDropsOnce: Script = (request, connection) => {
    if (dropped++ === 0) return connection.drop();
    succeed(request, connection);
  };
  const { client, servers } = await scriptedCluster(t, { 'raft-0': leaderThatDropsOnce, 'raft-1': notLeader('raft-0') }, { clientId: 'worker-7' });
  t.match(await client.put('k', 'v'), { ok: true, node: 'raft-0' });
  const puts = [...servers['raft-0']!.requests, ...servers['raft-1']!.requests].filter((request) => request.op === 'put');
  t.ok(puts.length >= 2, `retried (${puts.length} sends)`);
  t.same(new Set(puts.map((request) => `${String(request.client)}/${String(request.seq)}`)), new Set(['worker-7/1']));
  t.match(await client.cas('k', 'v', 'w'), { ok: true });
  t.match(servers['raft-0']!.requests.at(-1), { op: 'cas', client: 'worker-7', seq: 2 }, 'the next write takes the next seq');
});

t.test('a definite answer to a retry never turns an earlier indefinite failure definite', async (t) => {
  let sends = 0;
  const dropThenMismatch: Script = (request, connection) => {
    if (sends++ === 0) return connection.drop();
    connection.reply({ id: request.id, ok: false, error: 'cas_mismatch', value: 'b' });
  };
  const { client } = await scriptedCluster(t, { 'raft-0': dropThenMismatch }, { clientId: 'worker-8' });
  t.match(await client.cas('k', 'a', 'b'), { ok: false, error: 'connection_lost', definite: false, message: /retry then answered cas_mismatch/ });
});

t.test('cas_mismatch is definite, carries the current value and is not retried', async (t) => {
  const mismatch: Script = (request, connection) => connection.reply({ id: request.id, ok: false, error: 'cas_mismatch', value: null });
  const { client, received } = await scriptedCluster(t, { 'raft-0': mismatch, 'raft-1': succeed });
  t.same(await client.cas('k', 'a', 'b'), { ok: false, error: 'cas_mismatch', definite: true, node: 'raft-0', value: null });
  t.same(received(), { 'raft-0': 1, 'raft-1': 0 });
});

t.test('when no node accepts, the call fails definite no_leader within its deadline, naming each answer', async (t) => {
  const { client } = await scriptedCluster(t, { 'raft-0': notLeader(null), 'raft-1': notLeader(null) }, { operationDeadlineMs: 300 });
  const started = performance.now();
  const result = await client.put('k', 'v');
  t.match(result, { ok: false, error: 'no_leader', definite: true, message: /raft-0: not_leader.*raft-1: not_leader|raft-1: not_leader.*raft-0: not_leader/ });
  t.ok(performance.now() - started < 5000, 'bounded by the deadline');
});


t.test('with a client id, writes go one at a time in call order with increasing seq', async (t) => {
  let unanswered = 0;
  const seenUnanswered: number[] = [];
  const answerSoon: Script = (request, connection) => {
    seenUnanswered.push(unanswered++);
    setTimeout(() => {
      unanswered--;
      succeed(request, connection);
    }, 20);
  };
  const { client, servers } = await scriptedCluster(t, { 'raft-0': answerSoon }, { clientId: 'worker-9' });
  const results = await Promise.all([client.put('a', '1'), client.cas('a', '1', '2'), client.delete('a')]);
  for (const result of results) t.match(result, { ok: true });
  t.same(seenUnanswered, [0, 0, 0], 'no write was sent while another was unanswered');
  t.same(servers['raft-0']!.requests.map((request) => [request.op, request.seq]), [['put', 1], ['cas', 2], ['delete', 3]]);
});
