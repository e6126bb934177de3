// A port the OS hands out on 127.0.0.1, to publish a node's client port on for the cluster's
// whole life: docker re-binds an explicit host port on `docker start` and on a replacement
// container, so a node keeps one client address through stop/start and kill.

import { createServer } from 'node:net';

export function freeHostPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
