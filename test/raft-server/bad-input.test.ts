import t from 'tap';
import { LineClient } from './line-client.js';
import { TestCluster, until } from './test-cluster.js';

t.test('bad input gets errors or is dropped while the server keeps serving another client', async (t) => {
  const cluster = await TestCluster.create(t, 1, { RAFT_CLIENT_OUTPUT_LIMIT_BYTES: '1048576' });
  await cluster.startAll();
  await cluster.waitForLeader();
  const port = cluster.ports.get('raft-0')!;
  const good = await LineClient.open(port);
  t.teardown(() => good.close());
  const serves = async (t: { equal: (a: unknown, b: unknown, m: string) => unknown }, what: string): Promise<void> => {
    const value = `after ${what}`;
    t.equal((await good.request({ op: 'put', key: 'probe', value })).ok, true, `a put still succeeds ${value}`);
    t.equal((await good.request({ op: 'get', key: 'probe' })).value, value, `a get still reads ${value}`);
  };

  await t.test('garbage, unknown op and missing fields', async (t) => {
    const client = await LineClient.open(port);
    t.teardown(() => client.close());
    client.writeRaw('this is not json\n\u0000\u0001\u0002\n[1,2,3]\n');
    const unreadable = await client.waitUnmatched(3);
    t.same(unreadable.map((reply) => [reply.id, reply.ok, reply.error]), [[null, false, 'bad_request'], [null, false, 'bad_request'], [null, false, 'bad_request']]);
    const unknown = await client.request({ op: 'launch-missiles' });
    t.same([unknown.ok, unknown.error], [false, 'bad_request']);
    t.match(unknown.message, /unknown op/);
    const missing = await client.request({ op: 'cas', key: 'k', to: 'b' });
    t.match(missing.message, /missing field "from"/);
    const mistyped = await client.request({ op: 'put', key: 'k', value: 42 });
    t.match(mistyped.message, /"value" must be string/);
    t.equal((await client.request({ op: 'put', key: 'same-connection', value: 'ok' })).ok, true, 'the same connection still works');
    await serves(t, 'garbage');
  });

  await t.test('a 2 MiB line is refused and the connection goes on', async (t) => {
    const client = await LineClient.open(port);
    t.teardown(() => client.close());
    client.writeRaw(Buffer.alloc(2 * 1024 * 1024, 'a'.charCodeAt(0)));
    client.writeRaw('\n');
    const [refused] = await client.waitUnmatched(1);
    t.same([refused?.id, refused?.error], [null, 'bad_request']);
    t.match(refused?.message, /longer than 1048576 bytes/);
    t.equal((await client.request({ op: 'get', key: 'probe' })).ok, true, 'the next request on that connection is served');
    await serves(t, 'a 2 MiB line');
  });

  await t.test('a client that connects and never sends, or stops mid-line, hurts no one', async (t) => {
    const silent = await LineClient.open(port);
    const halfLine = await LineClient.open(port);
    t.teardown(() => {
      silent.close();
      halfLine.close();
    });
    halfLine.writeRaw('{"id":1,"op":"put","key":"never-fin');
    await serves(t, 'idle clients connected');
    t.equal(silent.closed, false, 'an idle connection is left alone');
  });

  await t.test('a client that sends many requests and never reads is closed', async (t) => {
    const flooder = await LineClient.open(port);
    t.teardown(() => flooder.close());
    flooder.socket.pause();
    const batch = '{"id":1,"op":"status"}\n'.repeat(10_000);
    for (let round = 0; round < 40 && !flooder.closed; round += 1) {
      flooder.writeRaw(batch);
      await serves(t, `flood round ${round}`);
    }
    await until('the server to close the connection that never reads', 30_000, async () => (flooder.closed ? true : undefined));
    t.ok(cluster.events('raft-0', 'client-dropped').length >= 1, 'the server logs why it dropped the client');
    await serves(t, 'the flood');
  });

  t.equal(cluster.isRunning('raft-0'), true, 'the server never crashed');
});
