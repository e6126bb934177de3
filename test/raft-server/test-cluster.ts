// Real raft-server processes on loopback for the integration tests: each node is spawned from
// bin/raft-server.js in its own process group, logs are kept in memory and on disk, and
// teardown kills every process group it started and removes the temp dirs.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../../harness/shared/free-ports.js';
import { valueWithin } from '../../harness/shared/poll-until.js';
import { LineClient, type Reply } from './line-client.js';
import { signalGroup } from '../../harness/shared/process-group.js';

export const serverBin = fileURLToPath(new URL('../../../bin/raft-server.js', import.meta.url));

export interface Teardownable {
  teardown(callback: () => unknown): void;
}

export interface NodeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface RunningNode {
  child: ChildProcess;
  exited: Promise<NodeExit>;
}

export function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  return valueWithin(what, timeoutMs, 50, probe);
}

export class TestCluster {
  readonly logs = new Map<string, string[]>();
  private readonly running = new Map<string, RunningNode>();
  /** Per directed link `from->to`, the port `from` dials to reach `to` (a proxy), when set. */
  readonly linkPorts = new Map<string, number>();

  private constructor(
    readonly nodes: string[],
    readonly ports: Map<string, number>,
    /** Where each node takes peer connections: its client port, or a port of its own. */
    readonly peerPorts: Map<string, number>,
    readonly workDir: string,
    private readonly baseEnv: Record<string, string>,
  ) {}

  static async create(t: Teardownable, size: number, env: Record<string, string> = {}, options: { separatePeerPorts?: boolean } = {}): Promise<TestCluster> {
    const nodes = Array.from({ length: size }, (_, index) => `raft-${index}`);
    const ports = await freePorts(options.separatePeerPorts ? 2 * size : size);
    const workDir = await mkdtemp(join(tmpdir(), 'raft-cluster-'));
    const portMap = new Map(nodes.map((node, index) => [node, ports[index]!]));
    const peerPortMap = new Map(nodes.map((node, index) => [node, ports[options.separatePeerPorts ? size + index : index]!]));
    const cluster = new TestCluster(nodes, portMap, peerPortMap, workDir, env);
    t.teardown(() => cluster.teardown());
    return cluster;
  }

  dataDir(node: string): string {
    return join(this.workDir, node);
  }

  /** Starts a node and waits for its `started` log line; RAFT_PEERS lists `members` (default: every node). */
  async start(node: string, env: Record<string, string> = {}, timeoutMs = 40_000, members: string[] = this.nodes): Promise<void> {
    if (this.running.has(node)) throw new Error(`${node} is already running`);
    const peers = members.map((name) => `${name}=127.0.0.1:${this.linkPorts.get(`${node}->${name}`) ?? this.peerPorts.get(name)}`).join(',');
    // RAFT_TEST_NODE_FLAGS passes extra node flags to every server, e.g. --cpu-prof for profiling.
    const child = spawn(process.execPath, [...(process.env.RAFT_TEST_NODE_FLAGS ?? '').split(' ').filter(Boolean), serverBin], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        RAFT_ID: node,
        RAFT_LISTEN: `127.0.0.1:${this.ports.get(node)}`,
        RAFT_PEERS: peers,
        RAFT_DATA_DIR: this.dataDir(node),
        RAFT_SEED: '7',
        ...this.baseEnv,
        ...env,
      },
    });
    const lines = this.logs.get(node) ?? [];
    this.logs.set(node, lines);
    let partial = '';
    const collect = (chunk: Buffer): void => {
      partial += chunk.toString('utf8');
      const parts = partial.split('\n');
      partial = parts.pop()!;
      lines.push(...parts);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const exited = new Promise<NodeExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.running.set(node, { child, exited });
    exited.then(() => this.running.get(node)?.child === child && this.running.delete(node));
    const from = lines.length;
    await until(`${node} to log "started"`, timeoutMs, async () => {
      if (child.exitCode !== null) throw new Error(`${node} exited with ${child.exitCode}: ${lines.slice(-5).join(' | ')}`);
      return lines.slice(from).some((line) => line.includes('"event":"started"')) ? true : undefined;
    });
  }

  async startAll(): Promise<void> {
    await Promise.all(this.nodes.map((node) => this.start(node)));
  }

  isRunning(node: string): boolean {
    return this.running.has(node);
  }

  /** Signals the node's process group and waits for it to exit. */
  async signal(node: string, signal: NodeJS.Signals): Promise<NodeExit> {
    const running = this.running.get(node);
    if (running === undefined) throw new Error(`${node} is not running`);
    signalGroup(running.child.pid!, signal);
    const exit = await Promise.race([running.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000).unref())]);
    if (exit === null) throw new Error(`${node} did not exit within 15 s of ${signal}`);
    this.running.delete(node);
    return exit;
  }

  events(node: string, event: string): Record<string, unknown>[] {
    return (this.logs.get(node) ?? [])
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
      const live = this.nodes.filter((node) => this.running.has(node));
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
    for (const [node, running] of this.running) {
      signalGroup(running.child.pid!, 'SIGKILL');
      await Promise.race([running.exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      this.running.delete(node);
    }
    await rm(this.workDir, { recursive: true, force: true });
  }
}
