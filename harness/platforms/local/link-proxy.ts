// The TCP proxy in the harness process through which node `dialer` reaches node `listener`'s
// peer port. A connection it carries has two directions, each governed by its own directed
// link: bytes the dialer sends (dialer->listener) and the replies on that connection
// (listener->dialer). So a directed link A->B governs every byte A sends to B, whichever node
// opened the connection, and cutting A->B and B->A separates A and B completely.
// For a system whose nodes have their own addresses (iptables-link-cutter.ts), the proxy dials
// the listener's address from the dialer's address, so the listener sees the dialer and the
// iptables rules that match the dialer's address still apply.

import { connect, createServer, type Server, type Socket } from 'node:net';
import { DirectedPipe, type PipeSettings } from './directed-pipe.js';
import { loopbackHost } from '../../shared/free-ports.js';
import { linkKey, type LinkTable } from './link-table.js';

/** Where the proxy dials: the listener's host, from the dialer's (default 127.0.0.1 to 127.0.0.1). */
export interface ProxyHosts {
  targetHost: string;
  sourceHost?: string;
}

interface ProxiedConnection {
  pipes: DirectedPipe[];
  destroy: () => void;
}

export class LinkProxy {
  private readonly server: Server;
  private readonly connections = new Set<ProxiedConnection>();
  private listeningPort = 0;

  constructor(
    readonly dialer: string,
    readonly listener: string,
    private readonly table: LinkTable,
    /** The listener's real peer port now (it may change when the node gets new ports). */
    private readonly targetPort: () => number,
    private readonly settings: PipeSettings,
    private readonly hosts: ProxyHosts = { targetHost: loopbackHost },
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  get port(): number {
    return this.listeningPort;
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, loopbackHost, () => {
        const address = this.server.address();
        this.listeningPort = address !== null && typeof address === 'object' ? address.port : 0;
        resolve(this.listeningPort);
      });
    });
  }

  /** Destroys every open connection one of whose directions is one of `linkKeys`. */
  destroyConnectionsCarrying(linkKeys: ReadonlySet<string>): number {
    const doomed = [...this.connections].filter((connection) =>
      connection.pipes.some((pipe) => linkKeys.has(linkKey(pipe.link))),
    );
    doomed.forEach((connection) => connection.destroy());
    return doomed.length;
  }

  /** Bytes discarded on cut links so far, over the open connections. */
  discardedBytes(): number {
    let total = 0;
    this.connections.forEach((connection) => connection.pipes.forEach((pipe) => (total += pipe.discardedBytes)));
    return total;
  }

  close(): Promise<void> {
    [...this.connections].forEach((connection) => connection.destroy());
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const source = this.hosts.sourceHost === undefined ? {} : { localAddress: this.hosts.sourceHost };
    const upstream = connect({ host: this.hosts.targetHost, port: this.targetPort(), ...source });
    const connection: ProxiedConnection = { pipes: [], destroy: () => undefined };
    connection.destroy = () => {
      client.destroy();
      upstream.destroy();
      connection.pipes.forEach((pipe) => pipe.stop());
      this.connections.delete(connection);
    };
    const forward = { from: this.dialer, to: this.listener };
    const backward = { from: this.listener, to: this.dialer };
    connection.pipes = [
      new DirectedPipe(forward, client, upstream, this.table, this.settings, connection.destroy),
      new DirectedPipe(backward, upstream, client, this.table, this.settings, connection.destroy),
    ];
    for (const socket of [client, upstream]) {
      socket.on('error', connection.destroy);
      socket.on('close', connection.destroy);
    }
    this.connections.add(connection);
  }
}
