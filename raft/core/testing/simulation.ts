// A seeded random run of a simulated cluster: message loss, delay and reordering (a random
// in-flight message is delivered), duplication, partitions, crashes and restarts, clients
// writing and reading, and (with `membership`) nodes added, removed and wiped, with every
// safety property checked after every step.
// Same options, same run: a failing seed replays exactly.
import type { Response } from '../../protocol/registry.js';
import type { CoreBugModes, NodeId, RaftMessage } from '../types.js';
import { MembershipDriver } from './membership-driver.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';
import { noBugs, SimCluster, type SimConfig, type SimRequest } from './sim-cluster.js';

export interface SimulationOptions {
  seed: number;
  size: number;
  steps: number;
  bugs?: Partial<CoreBugModes>;
  /** Multiplies the rate of partitions, crashes and restarts (default 1; at most 6). */
  faultRate?: number;
  /** Most entries per AppendEntries; chosen from the seed when not given. */
  maxEntriesPerMessage?: number;
  /** Clients with one operation in flight each. */
  clients?: number;
  /** Steps without faults at the end, in which a write and a read must succeed (default 3000; 0: none). */
  quietSteps?: number;
  /** Rewrites each step's messages before they enter the network (e.g. the server's batching). */
  transformSends?: (messages: RaftMessage[], maxEntriesPerMessage: number) => RaftMessage[];
  /** The leader counts itself in quorums only once `persisted` (default: on for odd seeds). */
  appendInParallel?: boolean;
  /** Fold every effect into `digest` (slower; for determinism checks). */
  digestEffects?: boolean;
  /** Two spare nodes, and clients adding and removing members (the leader included) and wiping removed ones. */
  membership?: boolean;
  /** Multiplies the rate of membership changes (default 1; at most 3). */
  membershipRate?: number;
}

export interface SimulationResult {
  seed: number;
  violation: string | null;
  /** Step at which the first violation was found. */
  failedAtStep: number | null;
  stats: SimulationStats;
  /** The last actions and events before the end (for a failure report). */
  trace: string[];
  /** FNV-1a hash of every effect in order, when digestEffects was set (else 0). */
  digest: number;
}

export interface SimulationStats {
  steps: number;
  writesAcknowledged: number;
  readsAnswered: number;
  highestTerm: number;
  highestCommitIndex: number;
  crashes: number;
  partitions: number;
  snapshotsInstalled: number;
  membershipChangesAcknowledged: number;
  wipes: number;
}

interface ClientOperation {
  ref: number;
  request: SimRequest;
  key: string;
  readLowerBound: number;
  invokedStep: number;
  attempts: number;
}

interface Client {
  name: string;
  seq: number;
  leaderHint: NodeId | null;
  operation: ClientOperation | null;
}

const keys = ['k0', 'k1', 'k2'];
const traceLength = 80;
/** Steps a client waits for an answer from a node that may have crashed. */
const clientPatienceSteps = 600;
const maxInFlight = 400;
const defaultQuietSteps = 3000;

export function runSimulation(options: SimulationOptions): SimulationResult {
  const random = createSeededRandom(options.seed);
  const config = {
    ...chooseConfig(random, options.bugs),
    ...(options.maxEntriesPerMessage === undefined ? {} : { maxEntriesPerMessage: options.maxEntriesPerMessage }),
    // Odd seeds count the leader in quorums only through `persisted` (no draw: other seeds replay as before).
    appendInParallel: options.appendInParallel ?? options.seed % 2 === 1,
  };
  // A parallel-appending cluster also writes to its disks late: a crash loses what was not flushed.
  const spares = options.membership === true ? 2 : 0;
  const cluster = new SimCluster({ size: options.size, spares, seed: random.below(2 ** 32), config, lagDisk: config.appendInParallel });
  const transform = options.transformSends;
  if (transform !== undefined) cluster.transformSends = (messages) => transform(messages, cluster.config.maxEntriesPerMessage);
  const run = new SimulationRun(cluster, random, options);
  return run.execute(options.steps);
}

function chooseConfig(random: SeededRandom, bugs: Partial<CoreBugModes> | undefined): Partial<SimConfig> {
  return {
    maxEntriesPerMessage: random.pick([1, 2, 4, 64]),
    maxInflightMessages: random.pick([1, 2, 8]),
    snapshotThresholdEntries: random.pick([4, 10, 40, 1000]),
    heartbeatIntervalTicks: random.pick([2, 3, 5]),
    preVote: random.chance(0.5),
    bugs: { ...noBugs, ...bugs },
  };
}

class SimulationRun {
  private readonly clients: Client[];
  private readonly operations = new Map<number, { client: Client; operation: ClientOperation }>();
  private readonly trace: string[] = [];
  private readonly stats: SimulationStats = {
    steps: 0,
    writesAcknowledged: 0,
    readsAnswered: 0,
    highestTerm: 0,
    highestCommitIndex: 0,
    crashes: 0,
    partitions: 0,
    snapshotsInstalled: 0,
    membershipChangesAcknowledged: 0,
    wipes: 0,
  };
  private readonly membership: MembershipDriver | null;
  private step = 0;
  private digest = 0x811c9dc5;

  constructor(
    private readonly cluster: SimCluster,
    private readonly random: SeededRandom,
    private readonly options: SimulationOptions,
  ) {
    this.clients = Array.from({ length: options.clients ?? 3 }, (_, position) => ({
      name: `c${position + 1}`,
      seq: 0,
      leaderHint: null,
      operation: null,
    }));
    this.membership = options.membership === true ? new MembershipDriver(cluster, random.fork(), (line) => this.note(line)) : null;
    cluster.onReply = (reply) => {
      if (this.membership?.onReply(reply.node, reply.ref, reply.response) !== true) this.onReply(reply.node, reply.ref, reply.response);
    };
    cluster.onEffects = (node, effects) => {
      if (options.digestEffects === true) this.digest = foldHash(this.digest, `${node}:${JSON.stringify(effects)}`);
      for (const effect of effects) {
        if (effect.type !== 'log') continue;
        if (effect.event === 'snapshot installed') this.stats.snapshotsInstalled += 1;
        if (effect.event !== 'vote granted' && effect.event !== 'vote refused' && effect.event !== 'snapshot sent') {
          this.note(`  ${node} ${effect.event} ${JSON.stringify(effect.fields)}`);
        }
      }
    };
  }

  execute(steps: number): SimulationResult {
    for (this.step = 1; this.step <= steps; this.step += 1) {
      this.act();
      this.observe();
      const violation = this.cluster.checker.violations[0];
      if (violation !== undefined) return this.result(violation, this.step);
    }
    return this.quietPhase(steps, this.options.quietSteps ?? defaultQuietSteps);
  }

  /** Heal everything, restart every node, stop losing messages: the cluster must make progress again. */
  private quietPhase(chaosSteps: number, quietSteps: number): SimulationResult {
    if (quietSteps === 0) return this.result(null, null);
    this.cluster.heal();
    for (const id of this.cluster.ids) if (!this.cluster.isUp(id)) this.cluster.restart(id);
    this.note(`step ${this.step}: quiet phase: healed, all nodes up, no more loss`);
    const writesBefore = this.stats.writesAcknowledged;
    const readsBefore = this.stats.readsAnswered;
    const end = chaosSteps + quietSteps;
    for (; this.step <= end; this.step += 1) {
      const roll = this.random.next();
      // Seven nodes (membership runs) send more per tick: deliver more, or the backlog outlasts request timeouts.
      const deliverShare = this.membership === null ? 0.55 : 0.7;
      if (roll < deliverShare) this.deliverRandom();
      else if (roll < deliverShare + 0.25) this.tickRandom();
      else this.invokeClient();
      this.expireClients();
      const violation = this.cluster.checker.violations[0];
      if (violation !== undefined) return this.result(violation, this.step);
      if (this.stats.writesAcknowledged > writesBefore && this.stats.readsAnswered > readsBefore) return this.result(null, null);
    }
    for (const id of this.cluster.upNodes()) {
      const { role, term, leader, commitIndex, lastLogIndex, members } = this.cluster.status(id);
      this.note(`  at the end: ${id} ${role} term ${term} leader ${leader} commit ${commitIndex} last ${lastLogIndex} members ${JSON.stringify(members)}`);
    }
    return this.result(`liveness: no write and read both answered within ${quietSteps} quiet steps after healing every fault`, this.step);
  }

  private result(violation: string | null, failedAtStep: number | null): SimulationResult {
    this.stats.steps = Math.min(this.step, this.options.steps);
    if (this.membership !== null) Object.assign(this.stats, this.membership.stats);
    const digest = this.options.digestEffects === true ? this.digest : 0;
    return { seed: this.options.seed, violation, failedAtStep, stats: this.stats, trace: this.trace, digest };
  }

  private act(): void {
    const roll = this.random.next();
    const faults = this.options.faultRate ?? 1;
    if (roll < 0.5) this.deliverRandom();
    else if (roll < 0.72) this.tickRandom();
    else if (roll < 0.9) this.invokeClient();
    else if (roll < 0.93) this.dropRandom();
    else if (roll < 0.95) this.duplicateRandom();
    else if (roll < 0.95 + 0.004 * faults) this.changePartition();
    else if (roll < 0.95 + 0.008 * faults) this.crashOrRestart();
    else if (this.membership !== null && roll < 0.95 + 0.008 * faults + 0.01 * (this.options.membershipRate ?? 1)) this.membership.act(this.step);
    else if (this.cluster.lagsDisk) this.flushRandom();
    else this.deliverRandom();
    this.expireClients();
  }

  private deliverRandom(): void {
    const inFlight = this.cluster.inFlight;
    if (inFlight.length === 0) return;
    // Mostly near the front (delay), sometimes anywhere (reordering).
    const position = this.random.chance(0.7) ? this.random.below(Math.min(3, inFlight.length)) : this.random.below(inFlight.length);
    this.cluster.deliverAt(position);
    while (this.cluster.inFlight.length > maxInFlight) this.cluster.inFlight.shift();
  }

  private tickRandom(): void {
    const up = this.cluster.upNodes();
    if (up.length === 0) return;
    const id = this.random.pick(up);
    this.cluster.flushDisk(id); // a disk write takes less than a tick
    this.cluster.tick(id);
  }

  private flushRandom(): void {
    const up = this.cluster.upNodes();
    if (up.length > 0) this.cluster.flushDisk(this.random.pick(up));
  }

  private dropRandom(): void {
    const inFlight = this.cluster.inFlight;
    if (inFlight.length > 0) inFlight.splice(this.random.below(inFlight.length), 1);
  }

  private duplicateRandom(): void {
    const inFlight = this.cluster.inFlight;
    if (inFlight.length > 0) this.cluster.duplicateAt(this.random.below(inFlight.length));
  }

  private changePartition(): void {
    this.cluster.heal();
    if (this.random.chance(0.4)) {
      this.note(`step ${this.step}: heal`);
      return;
    }
    const ids = this.cluster.ids;
    const side = ids.filter(() => this.random.chance(0.5));
    if (side.length === 0 || side.length === ids.length) side.splice(0, side.length, this.random.pick(ids));
    this.cluster.partition(side);
    this.stats.partitions += 1;
    this.note(`step ${this.step}: partition ${side.join(',')} | rest`);
  }

  private crashOrRestart(): void {
    const down = this.cluster.ids.filter((id) => !this.cluster.isUp(id));
    if (down.length > 0 && this.random.chance(0.6)) {
      const id = this.random.pick(down);
      this.cluster.restart(id);
      this.note(`step ${this.step}: restart ${id}`);
      return;
    }
    const up = this.cluster.upNodes();
    if (up.length === 0) return;
    const id = this.random.chance(0.5) && this.cluster.leaders().length > 0 ? this.cluster.leaders()[0]! : this.random.pick(up);
    this.cluster.crash(id);
    this.stats.crashes += 1;
    this.note(`step ${this.step}: crash ${id}`);
  }

  // ---- Clients -------------------------------------------------------------------------------

  private invokeClient(): void {
    const idle = this.clients.filter((client) => client.operation === null);
    if (idle.length === 0) return;
    const client = this.random.pick(idle);
    const key = this.random.pick(keys);
    const request = this.newRequest(client, key);
    const operation: ClientOperation = {
      ref: 0,
      request,
      key,
      readLowerBound: this.cluster.checker.readLowerBound(key),
      invokedStep: this.step,
      attempts: 0,
    };
    client.operation = operation;
    this.send(client, operation);
  }

  private newRequest(client: Client, key: string): SimRequest {
    const roll = this.random.next();
    if (roll < 0.45) return { op: 'get', key };
    client.seq += 1;
    const session = { client: client.name, seq: client.seq };
    const value = `${client.name}-${client.seq}`;
    if (roll < 0.8) return { op: 'put', key, value, ...session };
    if (roll < 0.93) return { op: 'cas', key, from: this.random.chance(0.3) ? null : `c${1 + this.random.below(3)}-${Math.max(1, client.seq - 1)}`, to: value, ...session };
    return { op: 'delete', key, ...session };
  }

  private send(client: Client, operation: ClientOperation): void {
    const up = this.cluster.upNodes();
    if (up.length === 0) {
      client.operation = null;
      return;
    }
    const hinted = client.leaderHint !== null && this.cluster.isUp(client.leaderHint) && this.random.chance(0.8);
    const node = hinted ? client.leaderHint! : this.random.pick(up);
    operation.attempts += 1;
    operation.invokedStep = this.step;
    operation.ref = this.cluster.nextRequestRef();
    this.operations.set(operation.ref, { client, operation });
    this.note(`step ${this.step}: ${client.name} -> ${node} #${operation.ref} ${JSON.stringify(operation.request)}`);
    this.cluster.request(node, operation.request);
  }

  private onReply(node: NodeId, ref: number, response: Response): void {
    const pending = this.operations.get(ref);
    if (pending === undefined) return;
    this.operations.delete(ref);
    const { client, operation } = pending;
    this.note(`  ${node} answers #${ref} ${JSON.stringify(response)}`);
    const checker = this.cluster.checker;
    if (response.ok && operation.request.op === 'get') {
      this.stats.readsAnswered += 1;
      checker.readReturned(node, operation.key, operation.readLowerBound, response.value ?? null);
    } else if (response.ok && operation.request.op !== 'status' && response.index !== undefined && response.term !== undefined) {
      this.stats.writesAcknowledged += 1;
      checker.writeAcknowledged(node, operation.key, response.index, response.term);
    }
    if (!response.ok && response.error === 'not_leader') client.leaderHint = response.leader ?? null;
    if (response.ok) client.leaderHint = node;
    const indefinite = !response.ok && (response.error === 'timeout' || response.error === 'unavailable');
    if (indefinite && operation.request.op !== 'get' && operation.attempts < 3 && this.random.chance(0.5)) {
      this.send(client, operation); // retry with the same (client, seq): applied at most once
      return;
    }
    client.operation = null;
  }

  private expireClients(): void {
    this.membership?.expire(this.step);
    for (const client of this.clients) {
      const operation = client.operation;
      if (operation === null || operation.ref <= 0 || this.step - operation.invokedStep < clientPatienceSteps) continue;
      this.operations.delete(operation.ref);
      client.operation = null;
    }
  }

  // ---- Observation ---------------------------------------------------------------------------

  private observe(): void {
    for (const id of this.cluster.upNodes()) {
      const status = this.cluster.status(id);
      this.stats.highestTerm = Math.max(this.stats.highestTerm, status.term);
      this.stats.highestCommitIndex = Math.max(this.stats.highestCommitIndex, status.commitIndex);
    }
  }

  private note(line: string): void {
    this.trace.push(line);
    if (this.trace.length > traceLength) this.trace.shift();
  }
}

function foldHash(hash: number, text: string): number {
  let folded = hash;
  for (let position = 0; position < text.length; position += 1) {
    folded ^= text.charCodeAt(position);
    folded = Math.imul(folded, 0x01000193) >>> 0;
  }
  return folded;
}
