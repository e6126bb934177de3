// The server shell around the pure core: loads the durable state, feeds the core ticks, peer
// messages and client requests, and carries out its effects through the EffectBatcher (persist
// with one fsync, then send, then reply). See server-settings.ts for the settings and the
// peer/client port design.

import { randomInt } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createRaftCore, type RaftCore } from '../core/raft-core.js';
import type { Input, RaftMessage } from '../core/types.js';
import type { MemberStatus, Request, Response } from '../protocol/registry.js';
import { NodeStorage, type PersistenceEffect } from '../storage/node-storage.js';
import { ClientConnection } from './client-connection.js';
import { toCoreConfig } from './core-config.js';
import { EffectBatcher } from './effect-batcher.js';
import { FirstLineReader } from './first-line-reader.js';
import type { NodeLogger } from './node-logger.js';
import { acceptPeerMessages } from './peer-inbound.js';
import { PeerLink } from './peer-link.js';
import { formatAddress, parseAddress, type Address, type ServerConfig } from './server-config.js';
import { RoleWatcher } from './role-watcher.js';

/** Most time a graceful stop waits for the batch in flight to become durable. */
const stopDeadlineMs = 5000;

export interface RunningRaftServer {
  /** Where clients reach this node (the real port when RAFT_LISTEN asked for port 0). */
  readonly clientAddress: Address;
  stop(reason: string): Promise<void>;
}

export async function startRaftServer(config: ServerConfig, log: NodeLogger, onFatal: (error: Error) => void): Promise<RunningRaftServer> {
  const seed = config.seed ?? randomInt(0, 2 ** 31);
  const { storage, recovered, report } = await NodeStorage.open(config.dataDir, { fsync: !config.bugs.noFsync, forgetState: config.bugs.forgetState });
  if (report.wal.tornTail !== null) log('torn-tail-dropped', { ...report.wal.tornTail });
  log('recovered', { ...report, wal: { segmentsRead: report.wal.segmentsRead, recordsRead: report.wal.recordsRead } });
  const core = createRaftCore(toCoreConfig(config, seed), recovered);
  const shell = new ServerShell(config, core, storage, log, onFatal);
  const clientAddress = await shell.listen();
  log('started', { clientAddress: formatAddress(clientAddress), peers: Object.fromEntries([...config.peers].map(([name, address]) => [name, formatAddress(address)])), seed, tickMs: config.tickMs, bugs: config.bugs });
  return { clientAddress, stop: (reason) => shell.stop(reason) };
}

class ServerShell {
  private readonly batcher: EffectBatcher;
  private readonly links = new Map<string, PeerLink>();
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly pendingReplies = new Map<number, ClientConnection>();
  private readonly roles: RoleWatcher;
  private nextRef = 1;
  /** The configuration the peer links were last made for. */
  private linkedMembers: MemberStatus[] | null = null;
  private heldRequests: Input[] = [];
  private tickTimer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly config: ServerConfig,
    private readonly core: RaftCore,
    private readonly storage: NodeStorage,
    private readonly log: NodeLogger,
    private readonly onFatal: (error: Error) => void,
  ) {
    this.roles = new RoleWatcher(core.status(), log);
    this.batcher = new EffectBatcher({
      persist: (effects) => this.persist(effects),
      persisted: (index, term) => this.step({ type: 'persisted', index, term }),
      send: (linesByPeer) => this.send(linesByPeer),
      reply: (replies) => this.reply(replies),
      log: (event, fields) => log(event.replaceAll(' ', '-'), fields),
      fatal: (error) => this.fatal(error),
      beforeBatch: () => this.stepHeldRequests(),
    }, config.maxEntriesPerMessage);
  }

  async listen(): Promise<Address> {
    const clientAddress = await this.listenOn(this.config.listen);
    const peerAddress = peerListenAddress(this.config);
    if (peerAddress !== null) await this.listenOn(peerAddress);
    this.syncLinks(this.core.status().members ?? []);
    this.tickTimer = setInterval(() => this.step({ type: 'tick' }), this.config.tickMs);
    return clientAddress;
  }

  async stop(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log('stopping', { reason });
    if (this.tickTimer !== null) clearInterval(this.tickTimer);
    for (const server of this.servers) server.close();
    const flushed = await withDeadline(this.batcher.whenIdle(), stopDeadlineMs);
    // A batch still persisting owns the log file: closing beside it would start a second write.
    // Nothing of that batch was acknowledged yet, so leaving it is safe.
    if (flushed) await this.storage.close();
    for (const link of this.links.values()) link.stop();
    for (const socket of this.sockets) socket.destroy();
    this.log('stopped', { reason, flushed, batches: this.batcher.counters });
  }

  private listenOn(address: Address): Promise<Address> {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', (error) => reject(new Error(`cannot listen on ${formatAddress(address)}: ${error.message}`)));
      server.listen(address.port, address.host, () => {
        server.on('error', (error) => this.log('listener-error', { address: formatAddress(address), error: error.message }));
        const bound = server.address() as AddressInfo;
        resolve({ host: address.host, port: bound.port });
      });
    });
  }

  private accept(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
    const reader = new FirstLineReader();
    const classify = (chunk: Buffer): void => {
      const first = reader.push(chunk);
      if (first.kind === 'pending') return;
      socket.off('data', classify);
      if (first.kind === 'peer') this.acceptPeer(socket, first.peer, first.rest);
      else new ClientConnection(socket, this, this.config.clientOutputLimitBytes, this.log).receive(first.bytes);
    };
    socket.on('data', classify);
  }

  /**
   * One outbound link to every other node of RAFT_MEMBERS and of the latest configuration: at its
   * RAFT_PEERS address when it has one (which may be a harness proxy; spares have one too), else
   * at the address the configuration gives. Links to nodes in neither are stopped.
   */
  private syncLinks(members: MemberStatus[]): void {
    const wanted = new Map<string, Address>();
    for (const member of members) {
      const address = this.config.peers.get(member.id) ?? (member.address === null ? null : parseAddress(member.address));
      if (address !== null) wanted.set(member.id, address);
    }
    for (const peer of this.config.members) wanted.set(peer, this.config.peers.get(peer)!);
    wanted.delete(this.config.id);
    for (const [peer, link] of this.links) {
      if (wanted.has(peer)) continue;
      link.stop();
      this.links.delete(peer);
    }
    for (const [peer, address] of wanted) {
      if (this.links.has(peer)) continue;
      const link = new PeerLink(this.config.id, peer, address, this.config.peerQueueLimitBytes, this.log);
      this.links.set(peer, link);
      link.start();
    }
    this.linkedMembers = members;
  }

  private acceptPeer(socket: Socket, peer: string, rest: Buffer): void {
    // Any other node may connect: one added after this node started, or the leader of a
    // cluster this node is joining.
    if (peer === this.config.id || !/^[^\s=,]+$/.test(peer)) {
      this.log('peer-rejected', { peer, remote: `${socket.remoteAddress}:${socket.remotePort}`, reason: 'this node itself, or not a node name' });
      socket.destroy();
      return;
    }
    acceptPeerMessages(socket, peer, this.config.id, rest, (message) => this.deliver(message), (reason) => this.log('peer-message-dropped', { peer, reason }));
  }

  private deliver(message: RaftMessage): void {
    if (!this.stopping) this.step({ type: 'message', message });
  }

  /** ClientHandler: a valid request from a client connection. */
  request(connection: ClientConnection, request: Request): void {
    if (request.op === 'status') {
      connection.respond([{ id: request.id, ok: true, ...this.core.status() }]);
      return;
    }
    if (this.stopping) {
      connection.respond([{ id: request.id, ok: false, error: 'unavailable', message: 'the node is shutting down' }]);
      return;
    }
    if (request.op === 'add-member' && parseAddress(request.address) === null) {
      connection.respond([{ id: request.id, ok: false, error: 'bad_request', message: `add-member: address ${JSON.stringify(request.address)} is not host:port; give the address peers reach ${request.node} at` }]);
      return;
    }
    const ref = this.nextRef++;
    this.pendingReplies.set(ref, connection);
    const input: Input = { type: 'request', ref, request };
    if (!this.batcher.isPersisting) {
      this.step(input);
      return;
    }
    // Held until the batch being persisted is durable: its appends could not be persisted sooner
    // anyway, and acknowledgements that arrive meanwhile go out before the next fsync.
    this.heldRequests.push(input);
    this.batcher.requestBatch();
  }

  private stepHeldRequests(): void {
    const held = this.heldRequests;
    this.heldRequests = [];
    for (const input of held) this.step(input);
  }

  private step(input: Input): void {
    let effects;
    try {
      effects = this.core.step(input);
    } catch (error) {
      this.fatal(error as Error);
      return;
    }
    this.batcher.add(effects);
    const status = this.core.status();
    this.roles.observe(status);
    // The core hands out the same members array until the configuration changes.
    if (!this.stopping && status.members !== undefined && status.members !== this.linkedMembers) this.syncLinks(status.members);
  }

  private async persist(effects: PersistenceEffect[]): Promise<void> {
    await this.storage.persist(effects);
    for (const effect of effects) {
      if (effect.type === 'saveSnapshot') {
        this.log('snapshot-saved', { lastIncludedIndex: effect.snapshot.lastIncludedIndex, lastIncludedTerm: effect.snapshot.lastIncludedTerm, keys: Object.keys(effect.snapshot.data.kv).length });
      }
    }
  }

  private send(linesByPeer: Map<string, string>): void {
    for (const [peer, lines] of linesByPeer) this.links.get(peer)?.send(lines);
  }

  private reply(replies: { ref: number; response: Response }[]): void {
    const byConnection = new Map<ClientConnection, Response[]>();
    for (const { ref, response } of replies) {
      const connection = this.pendingReplies.get(ref);
      if (connection === undefined) continue;
      this.pendingReplies.delete(ref);
      const list = byConnection.get(connection);
      if (list === undefined) byConnection.set(connection, [response]);
      else list.push(response);
    }
    for (const [connection, responses] of byConnection) connection.respond(responses);
  }

  private fatal(error: Error): void {
    this.log('fatal', { error: error.message, stack: error.stack });
    this.onFatal(error);
  }
}

/**
 * Where to accept peer connections besides the client port: null when this node's RAFT_PEERS
 * entry has the client port (one shared port). A wildcard RAFT_LISTEN host (0.0.0.0, ::) is kept
 * for the peer port too, since the entry's host is then usually a name other nodes resolve.
 */
export function peerListenAddress(config: Pick<ServerConfig, 'id' | 'listen' | 'peers'>): Address | null {
  const own = config.peers.get(config.id);
  if (own === undefined || own.port === config.listen.port) return null;
  const wildcard = config.listen.host === '0.0.0.0' || config.listen.host === '::';
  return { host: wildcard ? config.listen.host : own.host, port: own.port };
}

async function withDeadline(promise: Promise<void>, deadlineMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), deadlineMs);
  });
  const result = await Promise.race([promise.then(() => true), expired]);
  clearTimeout(timer);
  return result;
}
