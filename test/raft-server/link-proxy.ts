// A TCP forwarder for one directed peer link in the tests, which can reset every connection it
// carries, as the harness's per-link proxies do.

import { connect, createServer, type Server, type Socket } from 'node:net';

export class LinkProxy {
  resets = 0;

  private constructor(
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<LinkProxy> {
    const sockets = new Set<Socket>();
    const server = createServer((inbound) => {
      const outbound = connect({ host: '127.0.0.1', port: targetPort });
      for (const socket of [inbound, outbound]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          sockets.delete(socket);
          inbound.destroy();
          outbound.destroy();
        });
      }
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new LinkProxy(server, sockets, (server.address() as { port: number }).port);
  }

  /** Resets every connection currently carried (the node must reconnect). */
  resetAll(): void {
    for (const socket of this.sockets) {
      socket.resetAndDestroy();
      this.resets += 1;
    }
  }

  get connections(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
