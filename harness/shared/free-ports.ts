// Asks the OS for free loopback TCP ports: the local platform, the docker platform's published
// client ports, the benchmarks and the server tests all take theirs here. A port found free may
// be taken by someone else before it is bound; the local node supervisor detects that
// (EADDRINUSE in the node's output) and starts the node again on fresh ports.

import { createServer, type Server } from 'node:net';

export const loopbackHost = '127.0.0.1';

function listenOnAnyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, loopbackHost, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** `count` distinct free ports, all held open together so none repeats. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let index = 0; index < count; index += 1) servers.push(await listenOnAnyPort());
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map(close));
  }
}
