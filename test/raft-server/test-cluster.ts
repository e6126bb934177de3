// Real raft-server processes on loopback for the integration tests: the local platform's process
// cluster (each node spawned from bin/raft-server.js in its own process group, its output in
// <workDir>/<node>/node.log), plus the calls and waits the tests share. Teardown kills every
// process group it started and removes the work directory.

import { ProcessCluster } from '../../harness/platforms/local/process-cluster.js';
import { loopbackHost } from '../../harness/shared/free-ports.js';
import { valueWithin } from '../../harness/shared/poll-until.js';
import { raftSystem } from '../../harness/systems/raft/spec-server-system.js';
import { referenceServerPath } from '../../harness/systems/raft/server-command.js';
import { LineClient, type Reply } from './line-client.js';

/** bin/raft-server.js, for the tests that run the binary by hand. */
export const serverBin = referenceServerPath();

export interface Teardownable {
  teardown(callback: () => unknown): void;
}

export interface NodeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  return valueWithin(what, timeoutMs, 50, probe);
}

export class TestCluster {
  /** Per directed link `from->to`, the port `from` dials to reach `to` (a proxy), when set. */
  readonly linkPorts = new Map<string, number>();
  private processes!: ProcessCluster;

  private constructor() {}

  static async create(t: Teardownable, size: number, env: Record<string, string> = {}, options: { separatePeerPorts?: boolean } = {}): Promise<TestCluster> {
    const cluster = new TestCluster();
    cluster.processes = await ProcessCluster.create({
      system: raftSystem,
      nodeCount: size,
      serverEnv: { RAFT_SEED: '7', ...env },
      separatePeerPorts: options.separatePeerPorts ?? false,
      peerAddress: (from, to) => {
        const port = cluster.linkPorts.get(`${from}->${to}`);
        return port === undefined ? undefined : `${loopbackHost}:${port}`;
      },
      // RAFT_TEST_NODE_FLAGS passes extra node flags to every server, e.g. --cpu-prof for profiling.
      adjustLaunch: (launch) => ({ ...launch, arguments: [...(process.env.RAFT_TEST_NODE_FLAGS ?? '').split(' ').filter(Boolean), ...launch.arguments] }),
    });
    t.teardown(() => cluster.teardown());
    return cluster;
  }

  get nodes(): string[] {
    return [...this.processes.nodes];
  }

  get workDir(): string {
    return this.processes.workDir;
  }

  /** Node -> client port. */
  get ports(): Map<string, number> {
    return new Map(this.nodes.map((node) => [node, this.processes.clientPort(node)]));
  }

  /** Where each node takes peer connections: its client port, or a port of its own. */
  get peerPorts(): Map<string, number> {
    return new Map(this.nodes.map((node) => [node, this.processes.peerPort(node)]));
  }

  dataDir(node: string): string {
    return this.processes.dataDir(node);
  }

  /** Starts a node and waits until it listens; RAFT_PEERS lists `members` (default: every node). */
  async start(node: string, env: Record<string, string> = {}, timeoutMs = 40_000, members: string[] = this.nodes): Promise<void> {
    await this.processes.start(node, { env, members, timeoutMs });
  }

  async startAll(): Promise<void> {
    await this.processes.startAll();
  }

  isRunning(node: string): boolean {
    return this.processes.isRunning(node);
  }

  /** Signals the node's process group and waits for it to exit. */
  async signal(node: string, signal: NodeJS.Signals): Promise<NodeExit> {
    const exit = await this.processes.signal(node, signal);
    if (exit === undefined) throw new Error(`${node} is not running`);
    return { code: exit.exitCode ?? null, signal: (exit.signal as NodeJS.Signals | undefined) ?? null };
  }

  /** Every log line of `event` the node wrote, over all its starts. */
  events(node: string, event: string): Record<string, unknown>[] {
    return this.processes
      .logText(node)
      .split('\n')
      .filter((line) => line.includes(`"event":"${event}"`))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async call(node: string, body: Record<string, unknown>, timeoutMs = 10_000): Promise<Reply> {
    const client = await LineClient.open(this.ports.get(node)!, timeoutMs);
    try {
      return await client.request(body, timeoutMs);
    } finally {
      client.close();
    }
  }

  /** Waits until every running node names the same leader in the same term, and returns it. */
  async waitForLeader(timeoutMs = 45_000): Promise<string> {
    return until('one leader that every running node agrees on', timeoutMs, async () => {
      const live = this.nodes.filter((node) => this.isRunning(node));
      const statuses = await Promise.all(live.map((node) => this.call(node, { op: 'status' }, 2000)));
      const leaders = statuses.filter((status) => status.role === 'leader');
      if (leaders.length !== 1) return undefined;
      const { node: leader, term } = leaders[0]!;
      const agreed = statuses.every((status) => status.leader === leader && status.term === term);
      return agreed ? (leader as string) : undefined;
    });
  }

  /** Sends a request to whichever node leads, retrying on not_leader, timeout and unavailable. */
  async viaLeader(body: Record<string, unknown>, timeoutMs = 45_000): Promise<Reply> {
    return until(`${JSON.stringify(body)} to succeed through the leader`, timeoutMs, async () => {
      const leader = await this.waitForLeader(timeoutMs);
      const reply = await this.call(leader, body, 5000);
      if (reply.ok || reply.error === 'cas_mismatch') return reply;
      if (['not_leader', 'timeout', 'unavailable'].includes(reply.error as string)) return undefined;
      throw new Error(`unexpected reply ${JSON.stringify(reply)}`);
    });
  }

  /** Every term in which more than one node logged becoming leader (must be empty). */
  termsWithTwoLeaders(): number[] {
    const leadersByTerm = new Map<number, Set<string>>();
    for (const node of this.nodes) {
      for (const event of this.events(node, 'became-leader')) {
        const term = event.term as number;
        leadersByTerm.set(term, (leadersByTerm.get(term) ?? new Set()).add(node));
      }
    }
    return [...leadersByTerm].filter(([, leaders]) => leaders.size > 1).map(([term]) => term);
  }

  async teardown(): Promise<void> {
    await this.processes.stop();
  }
}
