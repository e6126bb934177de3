// A cluster of child processes on loopback with a proxy per directed peer link, started by
// `startLocalCluster`. Control flow lives here; processes, proxies and records are delegated.

import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { linkRandom } from '../../platform/link-random.js';
import type { ClusterSpec, KeptCluster, Link, LinkShape, NodeIdentity, PowerLossReport, StartedCluster } from '../../platform/platform.js';
import { setWorkDirectoryOwner } from '../../shared/work-directory.js';
import { dataFileSizes } from './data-file-sizes.js';
import type { Framing } from './directed-pipe.js';
import { freePorts, loopbackHost } from '../../shared/free-ports.js';
import { LinkProxy } from './link-proxy.js';
import { crashLoopDisk, createLoopDisk, diskImagePath, loopDiskMountOptions, removeLoopDisk, type LoopDisk } from './loop-disk.js';
import { loopDisksUnavailableReason } from './loop-disk-support.js';
import { validateShape } from './link-shaping.js';
import { linkKey, LinkTable } from './link-table.js';
import { NodeSupervisor, type NodeCrash } from './node-supervisor.js';
import { killGroup } from './process-group.js';
import { peersVariable } from './peer-addresses.js';
import { readProcess } from '../../shared/process-table.js';
import { removeRunRecord, runMarkerVariable, writeRunRecord, type RunRecord } from './run-record.js';
import { resolveServerCommand, type ServerCommand } from './server-command.js';

export interface LocalClusterSettings {
  stateDir: string;
  framing: Framing;
  /** Every link's jitter and drops; undefined: each link's own, from the spec's seed. */
  random: (() => number) | undefined;
  stopTimeoutMs: number;
  teardownGraceMs: number;
  startTimeoutMs: number;
  maxCrashRestarts: number;
}

export class LocalCluster implements StartedCluster {
  readonly nodes: readonly string[];
  private readonly supervisors = new Map<string, NodeSupervisor>();
  private readonly proxies = new Map<string, LinkProxy>();
  /** Each node's loop disk, when the spec asks for power-loss disks. */
  private readonly disks = new Map<string, LoopDisk>();
  private readonly table: LinkTable;
  private recordWrite: Promise<unknown> = Promise.resolve();
  private tornDown: Promise<void> | undefined;
  private harnessStartTime = 0;
  private kept = false;

  constructor(
    private readonly spec: ClusterSpec,
    private readonly settings: LocalClusterSettings,
  ) {
    this.nodes = [...spec.nodes];
    this.table = new LinkTable(this.nodes);
  }

  /** Where a node's log is appended. */
  logPath(node: string): string {
    return join(this.spec.workDir, 'logs', `${node}.log`);
  }

  dataDir(node: string): string {
    return join(this.spec.workDir, 'data', node);
  }

  /** Every unexpected exit so far, with the node's last output lines. */
  unexpectedExits(): NodeCrash[] {
    return [...this.supervisors.values()].flatMap((supervisor) => supervisor.crashes);
  }

  /** The ports the harness listens on for the link proxies. */
  proxyPorts(): number[] {
    return [...this.proxies.values()].map((proxy) => proxy.port);
  }

  /** Bytes the proxies discarded on cut links, over the connections open now. */
  discardedBytes(): number {
    return [...this.proxies.values()].reduce((total, proxy) => total + proxy.discardedBytes(), 0);
  }

  /** The peer port node `to`'s entry in node `from`'s RAFT_PEERS points at. */
  proxyPort(from: string, to: string): number {
    return this.requireProxy(from, to).port;
  }

  /** The node's own client and peer ports. */
  nodePorts(node: string): { clientPort: number; peerPort: number } {
    const supervisor = this.supervisor(node);
    return { clientPort: supervisor.clientPort, peerPort: supervisor.peerPort };
  }

  clientAddress(node: string): string {
    return `${loopbackHost}:${this.supervisor(node).clientPort}`;
  }

  async identity(node: string): Promise<NodeIdentity> {
    const pid = this.supervisor(node).pid;
    return { node, instance: pid === undefined ? 'not-running' : String(pid) };
  }

  kill(node: string): Promise<void> {
    return this.supervisor(node).kill();
  }

  stop(node: string): Promise<void> {
    return this.supervisor(node).stop();
  }

  start(node: string): Promise<void> {
    return this.supervisor(node).start();
  }

  pause(node: string): Promise<void> {
    return this.supervisor(node).pause();
  }

  resume(node: string): Promise<void> {
    return this.supervisor(node).resume();
  }

  /** SIGKILL, then the disk as a power cut leaves it (loop-disk.ts); the supervisor restarts the node on it. */
  powerLoss(node: string): Promise<PowerLossReport> {
    const supervisor = this.supervisor(node);
    const disk = this.disks.get(node);
    if (disk === undefined) {
      const why = this.spec.powerLossDisks === true ? 'was not created' : 'was not asked for (ClusterSpec.powerLossDisks)';
      return Promise.reject(new Error(`local platform: ${node} has no loop disk to cut the power of: its disk ${why}; the runner asks for one when the plan has a power-loss fault`));
    }
    return supervisor.killWhile(async () => {
      const filesBefore = await dataFileSizes(disk.mountPoint);
      await crashLoopDisk(disk);
      return { node, filesBefore, filesAfter: await dataFileSizes(disk.mountPoint) };
    }, 'restart after power loss');
  }

  async cutLinks(links: Link[]): Promise<void> {
    const change = this.table.replaceCuts(links);
    this.dropConnections([...change.newlyCut, ...change.healed]);
  }

  async shapeLinks(links: Link[], shape: LinkShape): Promise<void> {
    validateShape(shape);
    this.table.replaceShapes(links, shape);
  }

  async healAll(): Promise<void> {
    this.dropConnections(this.table.healAll());
    const supervisors = [...this.supervisors.values()];
    await Promise.all(supervisors.filter((supervisor) => supervisor.isPaused).map((supervisor) => supervisor.resume()));
    await Promise.all(supervisors.filter((supervisor) => supervisor.isStopped).map((supervisor) => supervisor.start()));
  }

  async collectLogs(dir: string): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const written: string[] = [];
    for (const node of this.nodes) {
      const target = join(dir, `${node}.log`);
      if (resolve(target) !== resolve(this.logPath(node))) {
        await copyFile(this.logPath(node), target).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
      }
      written.push(target);
    }
    return written;
  }

  teardown(): Promise<void> {
    this.tornDown ??= this.tearDownEverything();
    return this.tornDown;
  }

  /**
   * `--keep`: the link proxies live in the harness and end with it, so every node is restarted on
   * its data with direct peer links, released from its supervisor. The run record (marked kept)
   * and the work directory (owned by a kept node) stay for `harness clean`.
   */
  async keep(): Promise<KeptCluster> {
    if (this.tornDown !== undefined) throw new Error('local platform: the cluster was already torn down; nothing to keep');
    this.kept = true;
    const supervisors = [...this.supervisors.values()];
    this.spec.progress?.(`local: restarting ${supervisors.length} nodes with direct peer links so they outlive the harness…`);
    const pids = new Map<string, number>();
    try {
      for (const supervisor of supervisors) {
        const environment = this.environment(supervisor.node, supervisor, (_from, to) => this.supervisor(to).peerPort);
        pids.set(supervisor.node, await supervisor.handOver(environment, this.settings.teardownGraceMs));
      }
    } catch (error) {
      // Nothing half-kept: the released nodes go, and teardown removes the rest.
      await Promise.all([...pids.values()].map((pid) => killGroup(pid, this.settings.teardownGraceMs).catch(() => undefined)));
      this.kept = false;
      throw error;
    }
    await Promise.all([...this.proxies.values()].map((proxy) => proxy.close()));
    this.proxies.clear();
    this.tornDown = Promise.resolve();
    await this.recordWrite;
    await writeRunRecord(this.settings.stateDir, this.record(pids));
    await setWorkDirectoryOwner(this.spec.workDir, pids.values().next().value ?? process.pid);
    return {
      nodes: supervisors.map((supervisor) => ({
        node: supervisor.node,
        clientAddress: `${loopbackHost}:${supervisor.clientPort}`,
        detail: `pid ${pids.get(supervisor.node) ?? '-'}, log ${this.logPath(supervisor.node)}`,
      })),
      workDir: this.spec.workDir,
      removeCommand: 'npx harness clean --platform local',
    };
  }

  /** Creates directories, ports, proxies and the run record, then launches every node. */
  async launch(): Promise<void> {
    const command = resolveServerCommand(this.spec.serverCommand);
    this.harnessStartTime = (await readProcess(process.pid))?.startTime ?? 0;
    await mkdir(join(this.spec.workDir, 'logs'), { recursive: true });
    const ports = await freePorts(2 * this.nodes.length);
    for (const [index, node] of this.nodes.entries()) {
      await mkdir(this.dataDir(node), { recursive: true });
      this.supervisors.set(node, this.createSupervisor(node, command, ports[2 * index] ?? 0, ports[2 * index + 1] ?? 0));
    }
    await this.openProxies();
    await this.writeFirstRecord();
    if (this.spec.powerLossDisks === true) await this.createDisks();
    this.spec.progress?.(`local: starting ${this.nodes.length} nodes (${command.display})…`);
    const results = await Promise.allSettled([...this.supervisors.values()].map((supervisor) => supervisor.start()));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []));
    if (failures.length > 0) throw new Error(`local platform could not start the cluster:\n${failures.join('\n')}`);
    this.spec.progress?.(`local: ${this.describeNodes()}`);
  }

  /** After the run record is written, so that `harness clean` finds the mounts of an interrupted run. */
  private async createDisks(): Promise<void> {
    const unavailable = loopDisksUnavailableReason();
    if (unavailable !== undefined) throw new Error(unavailable);
    this.spec.progress?.(`local: creating ${this.nodes.length} loop disks (ext4, mount -o ${loopDiskMountOptions}) for power loss…`);
    for (const node of this.nodes) {
      this.disks.set(node, await createLoopDisk(diskImagePath(this.spec.workDir, node), this.dataDir(node)));
    }
  }

  private createSupervisor(node: string, command: ServerCommand, clientPort: number, peerPort: number): NodeSupervisor {
    const settings = {
      node,
      logPath: this.logPath(node),
      command,
      environment: (ports: { clientPort: number; peerPort: number }) => this.environment(node, ports),
      restartDelayMs: this.spec.restartDelayMs,
      stopTimeoutMs: this.settings.stopTimeoutMs,
      startTimeoutMs: this.settings.startTimeoutMs,
      maxCrashRestarts: this.settings.maxCrashRestarts,
      report: (message: string) => this.spec.progress?.(`local: ${message}`),
      changed: () => void this.writeRecord(),
    };
    return new NodeSupervisor(settings, clientPort, peerPort);
  }

  private environment(
    node: string,
    ports: { clientPort: number; peerPort: number },
    peerPort: (from: string, to: string) => number = (from, to) => this.proxyPort(from, to),
  ): Record<string, string> {
    return {
      ...this.spec.serverEnv,
      RAFT_ID: node,
      RAFT_LISTEN: `${loopbackHost}:${ports.clientPort}`,
      RAFT_PEERS: peersVariable(node, this.nodes, ports.peerPort, peerPort),
      RAFT_DATA_DIR: this.dataDir(node),
      [runMarkerVariable]: this.spec.runId,
    };
  }

  private async openProxies(): Promise<void> {
    for (const dialer of this.nodes) {
      for (const listener of this.nodes.filter((node) => node !== dialer)) {
        const target = this.supervisor(listener);
        const pipeSettings = { framing: this.settings.framing, random: this.settings.random ?? linkRandom(this.spec, { from: dialer, to: listener }) };
        const proxy = new LinkProxy(dialer, listener, this.table, () => target.peerPort, pipeSettings);
        this.proxies.set(linkKey({ from: dialer, to: listener }), proxy);
        await proxy.listen();
      }
    }
  }

  private dropConnections(links: Link[]): void {
    if (links.length === 0) return;
    const keys = new Set(links.map(linkKey));
    this.proxies.forEach((proxy) => proxy.destroyConnectionsCarrying(keys));
  }

  private async tearDownEverything(): Promise<void> {
    const supervisors = [...this.supervisors.values()];
    this.spec.progress?.(`local: stopping ${supervisors.length} nodes and ${this.proxies.size} link proxies…`);
    const results = await Promise.allSettled(
      supervisors.map((supervisor) => supervisor.teardown(this.settings.teardownGraceMs)),
    );
    await Promise.all([...this.proxies.values()].map((proxy) => proxy.close()));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []));
    if (failures.length > 0) throw new Error(`local platform teardown left processes behind:\n${failures.join('\n')}`);
    await this.removeDisks();
    await this.recordWrite;
    await removeRunRecord(this.settings.stateDir, this.spec.runId);
  }

  private async removeDisks(): Promise<void> {
    if (this.disks.size === 0) return;
    this.spec.progress?.(`local: unmounting and deleting ${this.disks.size} loop disks…`);
    const results = await Promise.allSettled([...this.disks.values()].map((disk) => removeLoopDisk(disk)));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []));
    if (failures.length > 0) throw new Error(`local platform teardown left loop disks mounted:\n${failures.join('\n')}`);
    this.disks.clear();
  }

  private record(keptPids?: ReadonlyMap<string, number>): RunRecord {
    return {
      runId: this.spec.runId,
      harnessPid: process.pid,
      harnessStartTime: this.harnessStartTime,
      workDir: this.spec.workDir,
      proxyPorts: this.proxyPorts(),
      nodes: [...this.supervisors.values()].map((supervisor) => {
        const pid = keptPids?.get(supervisor.node) ?? supervisor.pid;
        return { node: supervisor.node, ...(pid === undefined ? {} : { processGroupId: pid }), clientPort: supervisor.clientPort, peerPort: supervisor.peerPort };
      }),
      ...(keptPids !== undefined ? { kept: true } : {}),
    };
  }

  /** Without its record a run would escape `harness clean`: no record, no run. */
  private async writeFirstRecord(): Promise<void> {
    const stateDir = this.settings.stateDir;
    await writeRunRecord(stateDir, this.record()).catch((error: Error) => {
      throw new Error(`local platform: could not write the run record in ${stateDir} (${error.message}); make that directory writable by this user, or set XDG_RUNTIME_DIR to a directory you own`);
    });
  }

  private writeRecord(): Promise<unknown> {
    if (this.tornDown !== undefined || this.kept) return this.recordWrite;
    const record = this.record();
    this.recordWrite = this.recordWrite.then(() => writeRunRecord(this.settings.stateDir, record)).catch((error: Error) => {
      this.spec.progress?.(`local: could not write the run record in ${this.settings.stateDir}: ${error.message}`);
    });
    return this.recordWrite;
  }

  private describeNodes(): string {
    return [...this.supervisors.values()]
      .map((supervisor) => `${supervisor.node} pid ${supervisor.pid ?? '-'} at ${loopbackHost}:${supervisor.clientPort}`)
      .join(', ');
  }

  private supervisor(node: string): NodeSupervisor {
    const supervisor = this.supervisors.get(node);
    if (supervisor === undefined) {
      throw new Error(`local platform: unknown node "${node}"; the cluster's nodes are ${this.nodes.join(', ')}`);
    }
    return supervisor;
  }

  private requireProxy(from: string, to: string): LinkProxy {
    const proxy = this.proxies.get(linkKey({ from, to }));
    if (proxy === undefined) throw new Error(`local platform: no proxy for link ${from}->${to}`);
    return proxy;
  }
}
