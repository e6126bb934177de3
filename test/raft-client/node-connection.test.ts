import t from 'tap';
import { NodeConnection } from '../../raft/client/node-connection.js';
import { startScriptedTestServer, unusedAddress, type ScriptedConnection, type ScriptedRequest } from '../fixtures/client/scripted-test-server.js';

t.test('pipelined requests share one connection and are matched by id when answered out of order', async (t) => {
  const held: Array<[ScriptedRequest, ScriptedConnection]> = [];
  const server = await startScriptedTestServer((request, connection) => {
    held.push([request, connection]);
    if (held.length < 3) return;
    for (const [waiting, answer] of held.reverse()) answer.reply({ id: waiting.id, ok: true, value: `value-of-${String(waiting.key)}` });
  });
  const connection = new NodeConnection({ address: server.address, requestTimeoutMs: 10_000 });
  t.teardown(async () => {
    connection.close();
    await server.close();
  });
  const replies = await Promise.all(['a', 'b', 'c'].map((key) => connection.request({ op: 'get', key })));
  t.same(
    replies.map((reply) => (reply.kind === 'response' && reply.response.ok ? reply.response.value : reply)),
    ['value-of-a', 'value-of-b', 'value-of-c'],
  );
  t.equal(server.connectionCount, 1, 'all three went over one connection');
  t.equal(new Set(server.requests.map((request) => request.id)).size, 3, 'each request has its own id');
});

t.test('no answer in time resolves no_response; the late answer is ignored and the connection stays usable', async (t) => {
  const held: Array<[ScriptedRequest, ScriptedConnection]> = [];
  const server = await startScriptedTestServer((request, connection) => {
    if (request.key === 'slow') held.push([request, connection]);
    else connection.reply({ id: request.id, ok: true, value: 'fast' });
  });
  const connection = new NodeConnection({ address: server.address, requestTimeoutMs: 10_000 });
  t.teardown(async () => {
    connection.close();
    await server.close();
  });
  const slow = await connection.request({ op: 'get', key: 'slow' }, 150);
  t.match(slow, { kind: 'transport', error: 'no_response', sent: true });
  const [request, answer] = held[0]!;
  answer.reply({ id: request.id, ok: true, value: 'late' });
  const fast = await connection.request({ op: 'get', key: 'k' });
  t.match(fast, { kind: 'response', response: { ok: true, value: 'fast' } });
  t.equal(connection.ignoredLines, 1, 'the late answer was ignored');
  t.equal(server.connectionCount, 1);
});

t.test('a dropped connection fails every request in flight as connection_lost, and the next request reconnects', async (t) => {
  let dropNext = true;
  const server = await startScriptedTestServer((request, connection) => {
    if (!dropNext) return connection.reply({ id: request.id, ok: true });
    if (server.requests.length === 2) connection.drop();
  });
  const connection = new NodeConnection({ address: server.address, requestTimeoutMs: 10_000 });
  t.teardown(async () => {
    connection.close();
    await server.close();
  });
  const replies = await Promise.all([connection.request({ op: 'put', key: 'a', value: '1' }), connection.request({ op: 'put', key: 'b', value: '2' })]);
  for (const reply of replies) t.match(reply, { kind: 'transport', error: 'connection_lost', sent: true });
  dropNext = false;
  const again = await connection.request({ op: 'put', key: 'c', value: '3' });
  t.match(again, { kind: 'response', response: { ok: true } });
  t.equal(server.connectionCount, 2, 'a fresh connection was opened');
});

t.test('bad answer lines are ignored and later answers still match', async (t) => {
  const server = await startScriptedTestServer((request, connection) => {
    connection.sendRaw('not json\n{}\n[1,2]\n{"id":"x","ok":true}\n{"id":999,"ok":true}\n{"id":null,"ok":false,"error":"bad_request"}\n\n');
    connection.reply({ id: request.id, ok: true, value: 'v' });
  });
  const connection = new NodeConnection({ address: server.address, requestTimeoutMs: 10_000 });
  t.teardown(async () => {
    connection.close();
    await server.close();
  });
  const reply = await connection.request({ op: 'get', key: 'k' });
  t.match(reply, { kind: 'response', response: { ok: true, value: 'v' } });
  t.equal(connection.ignoredLines, 6);
});

t.test('an answer split across packets is reassembled', async (t) => {
  const server = await startScriptedTestServer((request, connection) => {
    const line = JSON.stringify({ id: request.id, ok: true, value: 'ü'.repeat(5000) }) + '\n';
    connection.sendRaw(line.slice(0, 7));
    setImmediate(() => connection.sendRaw(line.slice(7)));
  });
  const connection = new NodeConnection({ address: server.address, requestTimeoutMs: 10_000 });
  t.teardown(async () => {
    connection.close();
    await server.close();
  });
  t.match(await connection.request({ op: 'get', key: 'k' }), { kind: 'response', response: { value: 'ü'.repeat(5000) } });
});

t.test('a refused connection reports the request as not sent', async (t) => {
  const connection = new NodeConnection({ address: await unusedAddress(), requestTimeoutMs: 10_000 });
  t.teardown(() => connection.close());
  t.match(await connection.request({ op: 'put', key: 'k', value: 'v' }), { kind: 'transport', error: 'connection_lost', sent: false });
});

t.test('close() fails requests in flight as connection_lost', async (t) => {
  const server = await startScriptedTestServer(() => undefined);
  t.teardown(() => server.close());
  const connection = new NodeConnection({ address: server.address, requestTimeoutMs: 10_000 });
  const pending = connection.request({ op: 'put', key: 'k', value: 'v' });
  await server.waitForRequests(1);
  connection.close();
  t.match(await pending, { kind: 'transport', error: 'connection_lost', sent: true });
  t.match(await connection.request({ op: 'get', key: 'k' }), { kind: 'transport', error: 'connection_lost', sent: false });
});

t.test('an over-long answer line is discarded: its request times out and the connection keeps working', async (t) => {
  const server = await startScriptedTestServer((request, connection) => {
    connection.reply({ id: request.id, ok: true, value: request.key === 'big' ? 'x'.repeat(500) : 'small' });
  });
  const connection = new NodeConnection({ address: server.address, requestTimeoutMs: 10_000, maxResponseLineBytes: 100 });
  t.teardown(async () => {
    connection.close();
    await server.close();
  });
  const [big, small] = await Promise.all([connection.request({ op: 'get', key: 'big' }, 300), connection.request({ op: 'get', key: 'k' })]);
  t.match(big, { kind: 'transport', error: 'no_response', sent: true });
  t.match(small, { kind: 'response', response: { value: 'small' } });
  t.equal(connection.ignoredLines, 1);
  t.equal(server.connectionCount, 1);
});
