// The host-side delay proxy that stands in for netem delay: it forwards, delays only what the
// dialing side sends, keeps the byte order, and closes its connections when closed.

import t from 'tap';
import { connect, createServer, type Socket } from 'node:net';
import { startDelayProxy } from '../../../harness/platforms/docker/delay-proxy.js';

async function echoServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => socket.write(chunk));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function exchange(port: number, messages: string[], expectedLength: number): Promise<{ text: string; elapsedMs: number }> {
  return new Promise((resolve, reject) => {
    const startedAtMs = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no full echo within 10 s, got ${JSON.stringify(text)}`)), 10_000);
    socket.on('connect', () => {
      for (const message of messages) socket.write(message);
    });
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.length < expectedLength) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, elapsedMs: Date.now() - startedAtMs });
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`connection closed after ${JSON.stringify(text)}`));
    });
  });
}

t.test('bytes arrive in order, after at least the delay', async (t) => {
  const echo = await echoServer();
  const proxy = await startDelayProxy({ listenHost: '127.0.0.1', target: () => ({ host: '127.0.0.1', port: echo.port }), delayMs: 200, jitterMs: 100 });
  t.teardown(async () => {
    await proxy.close();
    await echo.close();
  });
  const messages = Array.from({ length: 20 }, (_, index) => `message-${index};`);
  const expected = messages.join('');
  const result = await exchange(proxy.port, messages, expected.length);
  t.equal(result.text, expected, 'order kept despite jitter');
  t.ok(result.elapsedMs >= 200, `waited at least the delay (${result.elapsedMs} ms)`);
});

t.test('a proxy without a target refuses the connection; close ends open connections', async (t) => {
  const refusing = await startDelayProxy({ listenHost: '127.0.0.1', target: () => undefined, delayMs: 10, jitterMs: 0 });
  await t.rejects(exchange(refusing.port, ['x'], 1));
  await refusing.close();

  const echo = await echoServer();
  const proxy = await startDelayProxy({ listenHost: '127.0.0.1', target: () => ({ host: '127.0.0.1', port: echo.port }), delayMs: 10, jitterMs: 0 });
  t.teardown(() => echo.close());
  const socket = connect(proxy.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.on('error', () => undefined);
  await proxy.close();
  await closed;
  t.pass('the client connection was closed with the proxy');
});
