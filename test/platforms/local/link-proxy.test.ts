// A link proxy on real sockets: cut links pass no bytes, the other direction still does,
// shaping delays in order and drops whole lines.

import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import t from 'tap';
import type { Framing } from '../../../harness/platforms/local/directed-pipe.js';
import { LinkProxy } from '../../../harness/platforms/local/link-proxy.js';
import { LinkTable } from '../../../harness/platforms/local/link-table.js';
import { eventually } from './local-test-kit.js';

interface Target {
  server: Server;
  port: number;
  received: () => Buffer;
  sockets: Socket[];
}

/** Node b's peer port: records what arrives and keeps the sockets to answer on. */
async function startTarget(): Promise<Target> {
  const chunks: Buffer[] = [];
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { server, port, received: () => Buffer.concat(chunks), sockets };
}

async function setUp(t: { teardown: (cleanup: () => unknown) => void }, framing: Framing = 'lines', random = Math.random) {
  const table = new LinkTable(['a', 'b']);
  const target = await startTarget();
  const proxy = new LinkProxy('a', 'b', table, () => target.port, { framing, random });
  await proxy.listen();
  t.teardown(async () => {
    await proxy.close();
    target.sockets.forEach((socket) => socket.destroy());
    target.server.close();
  });
  return { table, target, proxy };
}

/** Node a dialing b through the proxy; collects what comes back. */
async function dial(port: number): Promise<{ socket: Socket; received: () => Buffer; closed: Promise<unknown> }> {
  const socket = connect({ host: '127.0.0.1', port });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  const closed = new Promise((resolve) => socket.once('close', resolve));
  await once(socket, 'connect');
  return { socket, received: () => Buffer.concat(chunks), closed };
}

t.test('a healthy link passes bytes both ways', async (t) => {
  const { target, proxy } = await setUp(t);
  const client = await dial(proxy.port);
  client.socket.write('hello\n');
  await eventually('bytes reach b', 10_000, async () => (target.received().length === 6 ? true : undefined));
  target.sockets[0]?.write('reply\n');
  await eventually('the reply reaches a', 10_000, async () => (String(client.received()) === 'reply\n' ? true : undefined));
  t.equal(String(target.received()), 'hello\n');
});

t.test('cut a->b: no byte from a reaches b; b->a still passes; heal restores', async (t) => {
  const { table, target, proxy } = await setUp(t);
  const before = await dial(proxy.port);
  before.socket.write('before\n');
  await eventually('first bytes pass', 10_000, async () => (target.received().length > 0 ? true : undefined));
  table.replaceCuts([{ from: 'a', to: 'b' }]);
  proxy.destroyConnectionsCarrying(new Set(['a->b']));
  await before.closed;
  t.pass('the connection open at the cut is destroyed');
  const receivedAtCut = target.received().length;
  const during = await dial(proxy.port);
  const payload = Buffer.alloc(64 * 1024, 'x');
  during.socket.write(payload);
  await eventually('the proxy took every byte', 10_000, async () => (proxy.discardedBytes() === payload.length ? true : undefined));
  await eventually('b accepted the upstream connection', 10_000, async () => (target.sockets.length === 2 ? true : undefined));
  target.sockets[1]?.write('from b\n');
  await eventually('b->a bytes still pass', 10_000, async () => (String(during.received()) === 'from b\n' ? true : undefined));
  t.equal(target.received().length, receivedAtCut, 'not one byte from a reached b during the cut');
  table.replaceCuts([]);
  proxy.destroyConnectionsCarrying(new Set(['a->b']));
  await during.closed;
  const after = await dial(proxy.port);
  after.socket.write('after\n');
  await eventually('bytes pass after heal', 10_000, async () => (String(target.received()).endsWith('after\n') ? true : undefined));
  t.pass('healed');
});

t.test('cutting a->b and b->a passes nothing either way', async (t) => {
  const { table, target, proxy } = await setUp(t);
  table.replaceCuts([{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }]);
  const client = await dial(proxy.port);
  client.socket.write('ping\n');
  await eventually('b accepted the upstream connection', 10_000, async () => (target.sockets.length === 1 ? true : undefined));
  target.sockets[0]?.write('pong\n');
  await eventually('the proxy discarded both', 10_000, async () => (proxy.discardedBytes() === 10 ? true : undefined));
  t.equal(target.received().length, 0, 'nothing reached b');
  t.equal(client.received().length, 0, 'nothing reached a');
});

t.test('a shaped link delays at least delayMs and keeps order', async (t) => {
  const { table, target, proxy } = await setUp(t);
  table.replaceShapes([{ from: 'a', to: 'b' }], { delayMs: 150, jitterMs: 100, dropRate: 0 });
  const client = await dial(proxy.port);
  const sentAtMs = performance.now();
  const lines = Array.from({ length: 20 }, (_, index) => `${index}\n`);
  for (const line of lines) {
    client.socket.write(line);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await eventually('first byte arrives', 10_000, async () => (target.received().length > 0 ? true : undefined));
  const firstArrivalMs = performance.now() - sentAtMs;
  await eventually('every line arrives', 10_000, async () => (target.received().length === lines.join('').length ? true : undefined));
  t.ok(firstArrivalMs >= 150, `first byte after ${firstArrivalMs.toFixed(0)} ms >= 150 ms`);
  t.equal(String(target.received()), lines.join(''), 'in order');
});

t.test('a drop rate drops whole lines', async (t) => {
  let state = 7;
  const seeded = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const { table, target, proxy } = await setUp(t, 'lines', seeded);
  table.replaceShapes([{ from: 'a', to: 'b' }], { delayMs: 0, jitterMs: 0, dropRate: 0.5 });
  const client = await dial(proxy.port);
  const lines = Array.from({ length: 200 }, (_, index) => JSON.stringify({ index, pad: 'y'.repeat(index % 37) }));
  const stream = `${lines.join('\n')}\n`;
  // Split across chunks at odd places, so lines straddle chunk boundaries.
  for (let offset = 0; offset < stream.length; offset += 101) client.socket.write(stream.slice(offset, offset + 101));
  // Lines keep their order, so once an end line arrives every line before it was decided.
  const text = await eventually('an end line arrives', 10_000, async () => {
    client.socket.write(`${JSON.stringify({ index: 'end' })}\n`);
    const received = String(target.received());
    return received.includes('end') ? received : undefined;
  });
  const receivedLines = text.split('\n').filter((line) => line !== '' && !line.includes('end'));
  t.ok(receivedLines.every((line) => lines.includes(line)), 'every line that arrived is whole');
  t.ok(receivedLines.length > 40 && receivedLines.length < 160, `${receivedLines.length} of 200 lines arrived`);
});

t.test('dropRate 1 drops every line but a connection\'s first (its handshake)', async (t) => {
  const { table, target, proxy } = await setUp(t);
  table.replaceShapes([{ from: 'a', to: 'b' }], { delayMs: 0, jitterMs: 0, dropRate: 1 });
  const client = await dial(proxy.port);
  client.socket.write('{"peer":"a"}\n{"n":1}\n');
  client.socket.write('{"n":2}\n');
  await eventually('the first line arrives', 10_000, async () => (target.received().length > 0 ? true : undefined));
  table.replaceShapes([], { delayMs: 0, jitterMs: 0, dropRate: 0 });
  client.socket.write('{"n":3}\n');
  await eventually('lines pass once the drop rate is gone', 10_000, async () =>
    String(target.received()).includes('"n":3') ? true : undefined,
  );
  t.equal(String(target.received()), '{"peer":"a"}\n{"n":3}\n');
});

t.test('bytes framing: a drop resets the connection', async (t) => {
  const { table, proxy } = await setUp(t, 'bytes');
  table.replaceShapes([{ from: 'a', to: 'b' }], { delayMs: 0, jitterMs: 0, dropRate: 1 });
  const client = await dial(proxy.port);
  client.socket.write('anything');
  await client.closed;
  t.pass('the connection was reset');
});
