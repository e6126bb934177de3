// A TCP proxy on the host that delays one direction of a peer link (the bytes the dialing node
// sends) by delayMs plus a random [0, jitterMs], keeping their order. It stands in for
// `tc netem delay`, which needs the sch_netem kernel module. Replies flow back undelayed.

import { createServer, connect, type Server, type Socket } from 'node:net';

export interface DelayProxyOptions {
  /** Address to listen on: the run network's gateway, which every container can reach. */
  listenHost: string;
  /** Where to forward a new connection (the target node's current address); undefined: refuse. */
  target: () => { host: string; port: number } | undefined;
  delayMs: number;
  jitterMs: number;
  random?: () => number;
}

export interface DelayProxy {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => forward(client, options, sockets));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.listenHost, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`delay proxy on ${options.listenHost} has no TCP address`);
  return { host: options.listenHost, port: address.port, close: () => closeProxy(server, sockets) };
}

function forward(client: Socket, options: DelayProxyOptions, sockets: Set<Socket>): void {
  const target = options.target();
  if (target === undefined) {
    client.resetAndDestroy();
    return;
  }
  const upstream = connect(target.port, target.host);
  for (const socket of [client, upstream]) {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {
      client.destroy();
      upstream.destroy();
    });
  }
  upstream.pipe(client);
  delayInto(client, upstream, options);
}

/** Writes what `source` sends into `sink` after the delay, in order; ends `sink` after the last byte. */
function delayInto(source: Socket, sink: Socket, options: DelayProxyOptions): void {
  const random = options.random ?? Math.random;
  const queue: Array<{ dueMs: number; chunk: Buffer | null }> = [];
  let timer: NodeJS.Timeout | undefined;
  let lastDueMs = 0;
  const flush = (): void => {
    timer = undefined;
    while (queue.length > 0 && queue[0]!.dueMs <= Date.now()) {
      const { chunk } = queue.shift()!;
      if (chunk === null) sink.end();
      else sink.write(chunk);
    }
    if (queue.length > 0) timer = setTimeout(flush, queue[0]!.dueMs - Date.now());
  };
  const enqueue = (chunk: Buffer | null): void => {
    lastDueMs = Math.max(lastDueMs, Date.now() + options.delayMs + random() * options.jitterMs);
    queue.push({ dueMs: lastDueMs, chunk });
    if (timer === undefined) timer = setTimeout(flush, lastDueMs - Date.now());
  };
  source.on('data', (chunk: Buffer) => enqueue(chunk));
  source.on('end', () => enqueue(null));
  source.on('close', () => {
    if (queue.length === 0 && timer !== undefined) clearTimeout(timer);
  });
  sink.on('close', () => {
    if (timer !== undefined) clearTimeout(timer);
    source.destroy();
  });
}

async function closeProxy(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
