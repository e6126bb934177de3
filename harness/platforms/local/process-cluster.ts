// A cluster of one system's nodes as plain child processes on loopback, with no link proxies and
// no supervisor: what the benchmarks and the server tests start. Each node is launched by its
// system's own recipe and spawned as the local platform spawns it (spawnNodeChild: its own process
// group, output appended to a log file), so the platform, the benchmarks and the tests start
// nodes one way. Every process group is killed, and the work directory removed, if this process
// exits or is interrupted first.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts, loopbackHost } from '../../shared/free-ports.js';
import { signalGroup } from '../../shared/process-group.js';
import { withDeadline } from '../../shared/with-deadline.js';
import type { NodeLaunch, NodePlacement, System } from '../../systems/system.js';
import { forgetDirectory, forgetProcessGroup, killProcessGroupOnExit, removeDirectoryOnInterrupt } from './exit-cleanup.js';
import { commandOfLaunch, writeLaunchFiles } from './launch-files.js';
import { describeExit, spawnNodeChild, type ChildExit, type NodeChild } from './node-child.js';
import { logSize } from './node-log.js';
import { waitForListening } from './wait-for-listening.js';

export interface ProcessClusterOptions {
  system: System;
  nodeCount: number;
  /** Nodes are named `<prefix>-<index>`; default `raft`. */
  namePrefix?: string;
  /** Extra `RAFT_*` settings for every node (the system's serverEnv). */
  serverEnv?: Record<string, string>;
  /** A peer port apart from the client port for every node (default true); false: they share one. */
  separatePeerPorts?: boolean;
  /** Where `from` dials `to` (e.g. a test's link proxy); default `to`'s own peer address. */
  peerAddress?: (from: string, to: string) => string | undefined;
  /** Changes a node's launch: extra node flags, timing arguments. */
  adjustLaunch?: (launch: NodeLaunch, node: string) => NodeLaunch;
  /** Prefix of the work directory under os.tmpdir(); default `raft-cluster-`. */
  workDirPrefix?: string;
}

export interface NodeStart {
  /** Variables added for this start only (after the system's own). */
  env?: Record<string, string>;
  /** The nodes this one is told about (RAFT_PEERS, etcd's initial cluster); default every node. */
  members?: readonly string[];
  /** How long it may take to listen on its client port; default 40 s. */
  timeoutMs?: number;
}

interface RunningNode {
  child: NodeChild;
  expected: boolean;
}

const defaultStartTimeoutMs = 40_000;
const defaultSignalTimeoutMs = 15_000;

export class ProcessCluster {
  private readonly running = new Map<string, RunningNode>();
  private readonly unexpected: string[] = [];

  private constructor(
    private readonly options: ProcessClusterOptions,
    readonly nodes: readonly string[],
    private readonly clientPorts: ReadonlyMap<string, number>,
    private readonly peerPorts: ReadonlyMap<string, number>,
    readonly workDir: string,
  ) {}

  /** Takes ports and a work directory; starts no node. */
  static async create(options: ProcessClusterOptions): Promise<ProcessCluster> {
    const nodes = Array.from({ length: options.nodeCount }, (_, index) => `${options.namePrefix ?? 'raft'}-${index}`);
    const separate = options.separatePeerPorts ?? true;
    const ports = await freePorts(separate ? 2 * nodes.length : nodes.length);
    const clientPorts = new Map(nodes.map((node, index) => [node, ports[index]!]));
    const peerPorts = new Map(nodes.map((node, index) => [node, ports[separate ? nodes.length + index : index]!]));
    const workDir = mkdtempSync(join(tmpdir(), options.workDirPrefix ?? 'raft-cluster-'));
    removeDirectoryOnInterrupt(workDir);
    return new ProcessCluster(options, nodes, clientPorts, peerPorts, workDir);
  }

  /** Node -> client `host:port`. */
  get clientAddresses(): Record<string, string> {
    return Object.fromEntries(this.nodes.map((node) => [node, `${loopbackHost}:${this.clientPort(node)}`]));
  }

  clientPort(node: string): number {
    return this.known(this.clientPorts.get(node), node);
  }

  /** Where `node` takes peer connections: its client port, or a port of its own. */
  peerPort(node: string): number {
    return this.known(this.peerPorts.get(node), node);
  }

  dataDir(node: string): string {
    return join(this.workDir, node, 'data');
  }

  logPath(node: string): string {
    return join(this.workDir, node, 'node.log');
  }

  /** Starts the node on its data directory and ports; resolves once it listens, throws if it exits or times out first. */
  async start(node: string, options: NodeStart = {}): Promise<void> {
    if (this.running.has(node)) throw new Error(`process cluster: ${node} is already running (pid ${this.running.get(node)!.child.pid}); stop it first`);
    mkdirSync(this.dataDir(node), { recursive: true });
    const launch = await this.prepare(node, options);
    const logPath = this.logPath(node);
    const logStart = await logSize(logPath);
    const child = await spawnNodeChild({
      command: commandOfLaunch(launch),
      environment: { ...launch.environment, ...options.env },
      logPath,
      logStart,
    });
    killProcessGroupOnExit(child.pid);
    const entry: RunningNode = { child, expected: false };
    this.running.set(node, entry);
    void child.exited.then((exit) => {
      forgetProcessGroup(child.pid);
      if (this.running.get(node) === entry) this.running.delete(node);
      if (!entry.expected) this.unexpected.push(`${node} (pid ${child.pid}) exited on its own with ${describeExit(exit)}; last log lines:\n${this.logTail(node, 10)}`);
    });
    const timeoutMs = options.timeoutMs ?? defaultStartTimeoutMs;
    const outcome = await waitForListening(() => ({ host: loopbackHost, port: this.clientPort(node) }), child.exited, timeoutMs, () => false, child.pid);
    if (outcome === 'listening') return;
    if (outcome === 'exited') throw new Error(`${node} exited with ${describeExit(await child.exited)} before it listened on ${loopbackHost}:${this.clientPort(node)}; last log lines:\n${this.logTail(node, 10)}`);
    throw new Error(`${node} did not listen on ${loopbackHost}:${this.clientPort(node)} within ${timeoutMs} ms; last log lines:\n${this.logTail(node, 10)}`);
  }

  async startAll(options: NodeStart = {}): Promise<void> {
    await Promise.all(this.nodes.map((node) => this.start(node, options)));
  }

  isRunning(node: string): boolean {
    return this.running.has(node);
  }

  pid(node: string): number | undefined {
    return this.running.get(node)?.child.pid;
  }

  /** Resolves when the node's current process exits (undefined when it is not running). */
  exited(node: string): Promise<ChildExit> | undefined {
    return this.running.get(node)?.child.exited;
  }

  /** Signals the node's process group and waits for it to exit; undefined when it was not running. */
  async signal(node: string, signal: NodeJS.Signals, timeoutMs = defaultSignalTimeoutMs): Promise<ChildExit | undefined> {
    const entry = this.running.get(node);
    if (entry === undefined) return undefined;
    entry.expected = true;
    signalGroup(entry.child.pid, signal);
    const exit = await withDeadline(entry.child.exited, timeoutMs, `${node} (pid ${entry.child.pid}) did not exit within ${timeoutMs} ms of ${signal}`);
    if (this.running.get(node) === entry) this.running.delete(node);
    return exit;
  }

  /** SIGKILL to the node's process group; resolves once it has exited. */
  async kill(node: string): Promise<void> {
    await this.signal(node, 'SIGKILL', 10_000);
  }

  /** Nodes that exited without being signalled, each with its exit and last log lines. */
  unexpectedExits(): string[] {
    return [...this.unexpected];
  }

  /** Everything the node logged, over all its starts. */
  logText(node: string): string {
    try {
      return readFileSync(this.logPath(node), 'utf8');
    } catch {
      return '';
    }
  }

  logTail(node: string, lineCount = 20): string {
    const text = this.logText(node).trimEnd();
    return text === '' ? '(no log yet)' : text.split('\n').slice(-lineCount).join('\n');
  }

  /**
   * Stops every node (SIGTERM then, after `graceMs`, SIGKILL; with no grace SIGKILL at once) and
   * removes the work directory unless `keepWorkDir`. Idempotent.
   */
  async stop(options: { graceMs?: number; keepWorkDir?: boolean } = {}): Promise<void> {
    const graceMs = options.graceMs ?? 0;
    await Promise.all(
      [...this.running.keys()].map((node) => (graceMs > 0 ? this.signal(node, 'SIGTERM', graceMs).catch(() => this.kill(node)) : this.kill(node))),
    );
    if (options.keepWorkDir !== true) rmSync(this.workDir, { recursive: true, force: true });
    forgetDirectory(this.workDir);
  }

  private async prepare(node: string, options: NodeStart): Promise<NodeLaunch> {
    const members = options.members ?? this.nodes;
    const self = this.placement(node);
    const launch = this.options.system.launch({
      self,
      nodes: members.map((member) => (member === node ? self : this.placement(member))),
      dataDir: this.dataDir(node),
      peerAddress: (to) => this.options.peerAddress?.(node, to) ?? `${loopbackHost}:${this.peerPort(to)}`,
      serverEnv: this.options.serverEnv ?? {},
    });
    await writeLaunchFiles(this.dataDir(node), launch);
    return this.options.adjustLaunch?.(launch, node) ?? launch;
  }

  private placement(node: string): NodePlacement {
    return { node, index: this.nodes.indexOf(node), host: loopbackHost, listenHost: loopbackHost, clientPort: this.clientPort(node), peerPort: this.peerPort(node) };
  }

  private known<T>(value: T | undefined, node: string): T {
    if (value === undefined) throw new Error(`process cluster: no node ${JSON.stringify(node)}; its nodes are ${this.nodes.join(', ')}`);
    return value;
  }
}
