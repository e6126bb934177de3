// A simulated cluster of pure Raft cores: an in-memory network (deliver, drop, duplicate, cut,
// isolate, heal), durable state modelled by carrying out the persistence effects, crashes that
// lose everything not persisted, and restarts from exactly what was persisted. Every step is
// observed by the safety checker. Spare nodes start outside the configuration, waiting to be
// added; a node can be wiped (its disk replaced by an empty one) and start again as such.
import type { Request, Response, StatusFields } from '../../protocol/registry.js';
import { createRaftCore, type RaftCore } from '../raft-core.js';
import type { CoreBugModes, CoreConfig, Effect, NodeId, RaftMessage } from '../types.js';
import { isPersistenceEffect } from '../persistence-effect.js';
import { MemoryStorage } from './memory-storage.js';
import { SafetyChecker } from './safety-checker.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';

export type SimConfig = Omit<CoreConfig, 'id' | 'peers' | 'random' | 'bugs'> & { bugs: CoreBugModes };

export const noBugs: CoreBugModes = Object.freeze({
  staleReads: false,
  ackBeforeCommit: false,
  doubleVote: false,
  commitOldTermByCounting: false,
  unsafeMembershipChanges: false,
});

export const defaultSimConfig: SimConfig = Object.freeze({
  electionTimeoutTicksMin: 10,
  electionTimeoutTicksMax: 20,
  heartbeatIntervalTicks: 3,
  requestTimeoutTicks: 50,
  maxEntriesPerMessage: 64,
  snapshotThresholdEntries: 1000,
  maxInflightMessages: 8,
  // Classic elections by default, so a test can elect a node by ticking only that node;
  // the simulation turns pre-vote on for half of its seeds.
  preVote: false,
  bugs: noBugs,
});

export interface SimClusterOptions {
  size: number;
  seed: number;
  config?: Partial<SimConfig>;
  /**
   * With appendInParallel: a step's persistence effects reach the disk only at `flushDisk`, and
   * until then its other effects wait too, except the sends marked `beforeDurable`, as in the
   * server's batcher. A crash loses what was not flushed.
   */
  lagDisk?: boolean;
  /** Nodes besides `size` that start outside the configuration, waiting to be added (default 0). */
  spares?: number;
}

export interface SimReply {
  node: NodeId;
  ref: number;
  response: Response;
}

interface SimNode {
  core: RaftCore | null;
  storage: MemoryStorage;
  /** lagDisk: the effects of steps waiting for the disk, oldest first. */
  disk: Effect[];
}

/** A write or read request without its id (the cluster numbers requests). */
export type SimRequest = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class SimCluster {
  /** Every node, spares included. */
  readonly ids: NodeId[];
  /** The launch configuration's voters. */
  readonly initialIds: NodeId[];
  readonly checker = new SafetyChecker();
  readonly config: SimConfig;
  /** Messages sent and not yet delivered or dropped, oldest first. */
  inFlight: RaftMessage[] = [];
  readonly replies = new Map<number, SimReply>();
  /** Called for every client reply as it is produced. */
  onReply: (reply: SimReply) => void = () => {};
  /** Rewrites the messages of one step before they enter the network (e.g. a shell's batching). */
  transformSends: (messages: RaftMessage[]) => RaftMessage[] = (messages) => messages;
  /** Called for every step with the node and its effects (for traces). */
  onEffects: (node: NodeId, effects: Effect[]) => void = () => {};
  private readonly nodes = new Map<NodeId, SimNode>();
  private readonly cutLinks = new Set<string>();
  /** Nodes that start waiting to be added: the spares, and every node since it was wiped. */
  private readonly joining = new Set<NodeId>();
  private readonly random: SeededRandom;
  readonly lagsDisk: boolean;
  private nextRef = 1;

  constructor(options: SimClusterOptions) {
    this.ids = Array.from({ length: options.size + (options.spares ?? 0) }, (_, position) => `n${position + 1}`);
    this.initialIds = this.ids.slice(0, options.size);
    for (const id of this.ids.slice(options.size)) this.joining.add(id);
    this.config = { ...defaultSimConfig, ...options.config };
    this.random = createSeededRandom(options.seed);
    this.lagsDisk = options.lagDisk === true && this.config.appendInParallel === true;
    for (const id of this.ids) {
      this.nodes.set(id, { core: null, storage: new MemoryStorage(id), disk: [] });
      this.start(id);
    }
  }

  // ---- Nodes ---------------------------------------------------------------------------------

  isUp(id: NodeId): boolean {
    return this.node(id).core !== null;
  }

  upNodes(): NodeId[] {
    return this.ids.filter((id) => this.isUp(id));
  }

  status(id: NodeId): StatusFields {
    const core = this.node(id).core;
    if (core === null) throw new Error(`sim cluster: ${id} is down; restart it before asking its status`);
    return core.status();
  }

  storage(id: NodeId): MemoryStorage {
    return this.node(id).storage;
  }

  /** Current leaders (by their own account), highest term first. */
  leaders(): NodeId[] {
    return this.upNodes()
      .filter((id) => this.status(id).role === 'leader')
      .sort((a, b) => this.status(b).term - this.status(a).term);
  }

  /** Lose everything not persisted; messages to the node are dropped while it is down. */
  crash(id: NodeId): void {
    this.node(id).core = null;
    this.node(id).disk = [];
  }

  /** lagDisk: make what the node's steps asked to persist durable, then carry out what waited for it. */
  flushDisk(id: NodeId): void {
    const node = this.node(id);
    if (node.core === null || node.disk.length === 0) return;
    const effects = node.disk;
    node.disk = [];
    this.carryOut(id, effects);
  }

  /** Replace the node's disk by an empty one and start it again, waiting to be added (a replaced machine). */
  wipe(id: NodeId): void {
    this.crash(id);
    this.node(id).storage = new MemoryStorage(id);
    this.joining.add(id);
    this.start(id);
  }

  /** Start again from exactly what the node persisted. */
  restart(id: NodeId): void {
    if (this.isUp(id)) throw new Error(`sim cluster: restart of ${id}, which is up; crash it first`);
    this.start(id);
  }

  // ---- Inputs --------------------------------------------------------------------------------

  tick(id: NodeId, count = 1): void {
    for (let tick = 0; tick < count; tick += 1) this.stepNode(id, { type: 'tick' });
  }

  tickAll(count = 1): void {
    for (let tick = 0; tick < count; tick += 1) for (const id of this.upNodes()) this.stepNode(id, { type: 'tick' });
  }

  /** Send a client request to a node; returns its ref (also the request id). */
  request(id: NodeId, request: SimRequest): number {
    const ref = this.nextRef;
    this.nextRef += 1;
    this.stepNode(id, { type: 'request', ref, request: { ...request, id: ref } as Request });
    return ref;
  }

  /** The ref the next request will get. */
  nextRequestRef(): number {
    return this.nextRef;
  }

  response(ref: number): Response | undefined {
    return this.replies.get(ref)?.response;
  }

  // ---- Network -------------------------------------------------------------------------------

  /** Deliver the in-flight message at `position` (default: the oldest). */
  deliverAt(position = 0): void {
    const [message] = this.inFlight.splice(position, 1);
    if (message === undefined) return;
    if (!this.isUp(message.to) || this.isCut(message.from, message.to)) return;
    this.stepNode(message.to, { type: 'message', message });
  }

  /** Deliver the oldest message matching `predicate`; returns whether there was one. */
  deliverFirst(predicate: (message: RaftMessage) => boolean): boolean {
    const position = this.inFlight.findIndex(predicate);
    if (position < 0) return false;
    this.deliverAt(position);
    return true;
  }

  /** Deliver messages oldest first until none are left (at most `limit`). */
  deliverAll(limit = 100_000): number {
    let delivered = 0;
    while (this.inFlight.length > 0 && delivered < limit) {
      this.deliverAt(0);
      delivered += 1;
    }
    if (this.inFlight.length > 0) throw new Error(`sim cluster: still ${this.inFlight.length} messages in flight after delivering ${limit}`);
    return delivered;
  }

  /** Remove in-flight messages matching `predicate`; returns how many. */
  drop(predicate: (message: RaftMessage) => boolean): number {
    const before = this.inFlight.length;
    this.inFlight = this.inFlight.filter((message) => !predicate(message));
    return before - this.inFlight.length;
  }

  duplicateAt(position: number): void {
    const message = this.inFlight[position];
    if (message !== undefined) this.inFlight.push(message);
  }

  /** Cut the link between two nodes in both directions (messages on it are lost). */
  cut(a: NodeId, b: NodeId): void {
    this.cutLinks.add(`${a}>${b}`);
    this.cutLinks.add(`${b}>${a}`);
  }

  isolate(id: NodeId): void {
    for (const other of this.ids) if (other !== id) this.cut(id, other);
  }

  /** Split into two sides that cannot talk to each other. */
  partition(side: NodeId[]): void {
    for (const a of side) for (const b of this.ids) if (!side.includes(b)) this.cut(a, b);
  }

  heal(): void {
    this.cutLinks.clear();
  }

  isCut(from: NodeId, to: NodeId): boolean {
    return this.cutLinks.has(`${from}>${to}`);
  }

  // ---- Internals -----------------------------------------------------------------------------

  private node(id: NodeId): SimNode {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`sim cluster: no node ${id}; nodes are ${this.ids.join(', ')}`);
    return node;
  }

  private start(id: NodeId): void {
    const node = this.node(id);
    const random = this.random.fork();
    const config: CoreConfig = { ...this.config, id, peers: this.initialIds, joining: this.joining.has(id), random: () => random.next() };
    const recovered = node.storage.recover();
    node.core = createRaftCore(config, recovered);
    this.checker.nodeStarted(id, node.core.status(), recovered.entries, recovered.snapshot);
  }

  private stepNode(id: NodeId, input: Parameters<RaftCore['step']>[0]): void {
    const node = this.node(id);
    if (node.core === null) return;
    const effects = node.core.step(input);
    this.onEffects(id, effects);
    this.checker.afterStep(id, effects, node.core.status());
    if (this.lagsDisk && (node.disk.length > 0 || effects.some(isPersistenceEffect))) {
      const early = (effect: Effect) => effect.type === 'send' && effect.beforeDurable === true;
      this.network(id, effects.filter(early));
      node.disk.push(...effects.filter((effect) => !early(effect)));
      return;
    }
    this.carryOut(id, effects);
  }

  private network(id: NodeId, effects: Effect[]): void {
    const messages = effects.flatMap((effect) => (effect.type === 'send' ? [effect.message] : []));
    for (const message of this.transformSends(messages)) if (!this.isCut(id, message.to)) this.inFlight.push(message);
  }

  private carryOut(id: NodeId, effects: Effect[]): void {
    const node = this.node(id);
    for (const effect of effects) node.storage.apply(effect);
    this.network(id, effects);
    for (const effect of effects) {
      if (effect.type !== 'reply') continue;
      const reply = { node: id, ref: effect.ref, response: effect.response };
      this.replies.set(effect.ref, reply);
      this.onReply(reply);
    }
    if (this.config.appendInParallel === true) this.reportPersisted(id, effects);
  }

  /** appendInParallel: the storage above already holds the step's appends; tell the core, as the shell does. */
  private reportPersisted(id: NodeId, effects: Effect[]): void {
    const appends = effects.filter((effect) => effect.type === 'appendEntries' && effect.entries.length > 0);
    const last = appends.at(-1);
    if (last?.type !== 'appendEntries') return;
    const entry = last.entries[last.entries.length - 1]!;
    this.stepNode(id, { type: 'persisted', index: entry.index, term: entry.term });
  }
}
