// A cluster of child processes on loopback with a proxy per directed peer link, started by
// `startLocalCluster`; or, for a system whose nodes dial their peers themselves (etcd), each node
// on its own loopback address with links cut and shaped by iptables (root), delayed links
// redirected through the same proxies. Control flow lives here;
// processes, proxies, iptables and records are delegated.

import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { linkRandom } from '../../platform/link-random.js';
import type { ClusterSpec, KeptCluster, Link, LinkShape, NodeIdentity, PowerLossReport, StartedCluster } from '../../platform/platform.js';
import { setWorkDirectoryOwner } from '../../shared/work-directory.js';
import { dataFileSizes } from './data-file-sizes.js';
import type { Framing } from './directed-pipe.js';
import { freePorts, loopbackHost } from '../../shared/free-ports.js';
import { IptablesLinkCutter, iptablesChainName, redirectChainName } from './iptables-link-cutter.js';
import { LinkProxy } from './link-proxy.js';
import { randomLoopbackAddresses, type NodeAddress } from './loopback-addresses.js';
import { crashLoopDisk, createLoopDisk, diskImagePath, loopDiskMountOptions, removeLoopDisk, type LoopDisk } from './loop-disk.js';
import { loopDisksUnavailableReason } from './loop-disk-support.js';
import { validateShape } from './link-shaping.js';
import { linkKey, LinkTable } from './link-table.js';
import { NodeSupervisor, type NodeCrash, type PreparedLaunch } from './node-supervisor.js';
import { commandOfLaunch, writeLaunchFiles } from './launch-files.js';
import { killGroup } from '../../shared/process-group.js';
import { readProcess } from '../../shared/process-table.js';
import { removeRunRecord, runMarkerVariable, writeRunRecord, type RunRecord } from './run-record.js';
import { createSpecServerSystem } from '../../systems/raft/spec-server-system.js';
import type { NodePlacement, System } from '../../systems/system.js';
import { iptablesUnavailableReason } from '../../shared/iptables-support.js';

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
  /** The nodes running now (or stopped, paused): launch nodes plus joined spares minus removed ones. */
  private readonly liveNodes: string[];
  /** Launch nodes then spares: every node with ports, proxies and a RAFT_PEERS entry. */
  private readonly allNodes: readonly string[];
  /** Nodes started with RAFT_JOIN=true (launchJoining). */
  private readonly joined = new Set<string>();
  /** Every node that ever ran, in first launch order: their logs are collected. */
  private readonly launched: string[];
  /** One per node of allNodes; a removed node's is replaced by a fresh, unstarted one. */
  private readonly supervisors = new Map<string, NodeSupervisor>();
  /** Supervisors of removed nodes, for their crashes. */
  private readonly retired: NodeSupervisor[] = [];
  private readonly proxies = new Map<string, LinkProxy>();
  /** Each node's loop disk, when the spec asks for power-loss disks. */
  private readonly disks = new Map<string, LoopDisk>();
  private readonly table: LinkTable;
  private recordWrite: Promise<unknown> = Promise.resolve();
  private tornDown: Promise<void> | undefined;
  private harnessStartTime = 0;
  private kept = false;
  private readonly system: System;
  /** Each node's own loopback address and group id, for a system that dials its peers itself. */
  private readonly addresses: Map<string, NodeAddress> | undefined;
  private cutter: IptablesLinkCutter | undefined;

  constructor(
    private readonly spec: ClusterSpec,
    private readonly settings: LocalClusterSettings,
  ) {
    this.liveNodes = [...spec.nodes];
    this.launched = [...spec.nodes];
    this.allNodes = [...spec.nodes, ...(spec.spareNodes ?? []).filter((node) => !spec.nodes.includes(node))];
    this.table = new LinkTable(this.allNodes);
    this.system = spec.system ?? createSpecServerSystem(spec.serverCommand);
    this.addresses = this.system.linkFaults === 'address' ? new Map(randomLoopbackAddresses(this.allNodes).map((address) => [address.node, address])) : undefined;
  }

  get nodes(): readonly string[] {
    return this.liveNodes;
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
    return [...this.retired, ...this.supervisors.values()].flatMap((supervisor) => supervisor.crashes);
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
    return `${this.hostOf(node)}:${this.supervisor(node).clientPort}`;
  }

  /** The node's own peer address, for add-member (peers dial it through their proxies, at their RAFT_PEERS entry). */
  peerAddress(node: string): string {
    return `${this.hostOf(node)}:${this.supervisor(node).peerPort}`;
  }

  /** The address a node listens on: 127.0.0.1 for every node of a system whose links go through proxies. */
  hostOf(node: string): string {
    return this.addresses?.get(node)?.host ?? loopbackHost;
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
    if (this.addresses !== undefined) return this.requireCutter('cut').replaceCuts(links);
    const change = this.table.replaceCuts(links);
    this.dropConnections([...change.newlyCut, ...change.healed]);
  }

  /**
   * Proxy mode: the link proxies delay and drop. Address mode: iptables redirects the shaped
   * pairs' peer connections to the proxies, which delay (the loss is iptables' own, by packet).
   */
  async shapeLinks(links: Link[], shape: LinkShape): Promise<void> {
    validateShape(shape);
    if (this.addresses === undefined) return this.table.replaceShapes(links, shape);
    const cutter = this.requireCutter('shape');
    this.table.replaceShapes(links, { ...shape, dropRate: 0 });
    await cutter.replaceShaping(links, shape, { peerPort: (node) => this.supervisor(node).peerPort, proxyPort: (link) => this.proxyPort(link.from, link.to) });
  }

  async healAll(): Promise<void> {
    this.dropConnections(this.table.healAll());
    await this.cutter?.healAll();
    const supervisors = this.liveSupervisors();
    await Promise.all(supervisors.filter((supervisor) => supervisor.isPaused).map((supervisor) => supervisor.resume()));
    await Promise.all(supervisors.filter((supervisor) => supervisor.isStopped).map((supervisor) => supervisor.start()));
  }

  async collectLogs(dir: string): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const written: string[] = [];
    for (const node of this.launched) {
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
    const supervisors = this.liveSupervisors();
    this.spec.progress?.(`local: restarting ${supervisors.length} nodes with direct peer links so they outlive the harness…`);
    const pids = new Map<string, number>();
    try {
      for (const supervisor of supervisors) {
        const launch = await this.prepareLaunch(supervisor.node, supervisor, { directLinks: true });
        pids.set(supervisor.node, await supervisor.handOver(launch, this.settings.teardownGraceMs));
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
    this.harnessStartTime = (await readProcess(process.pid))?.startTime ?? 0;
    await mkdir(join(this.spec.workDir, 'logs'), { recursive: true });
    const ports = await freePorts(2 * this.allNodes.length);
    if (this.addresses !== undefined) this.prepareCutter();
    for (const [index, node] of this.allNodes.entries()) {
      if (this.liveNodes.includes(node)) await mkdir(this.dataDir(node), { recursive: true });
      this.supervisors.set(node, this.createSupervisor(node, ports[2 * index] ?? 0, ports[2 * index + 1] ?? 0));
    }
    if (this.addresses === undefined || this.cutter !== undefined) await this.openProxies();
    await this.writeFirstRecord();
    if (this.cutter !== undefined) {
      await this.cutter.install();
      this.spec.progress?.(`local: links cut by iptables in chains ${this.cutter.chain} (filter and nat) and ${redirectChainName(this.cutter.chain)} (nat, delayed links to the link proxies); each node on its own address`);
    }
    if (this.spec.powerLossDisks === true) await this.createDisks();
    this.spec.progress?.(`local: starting ${this.nodes.length} nodes of system ${this.system.name}…`);
    const results = await Promise.allSettled(this.liveSupervisors().map((supervisor) => supervisor.start()));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []));
    if (failures.length > 0) throw new Error(`local platform could not start the cluster:\n${failures.join('\n')}`);
    this.spec.progress?.(`local: ${this.describeNodes()}`);
  }

  /**
   * Capability membership: starts a spare (or a removed node) on an empty data directory with
   * RAFT_JOIN=true, supervised like the others; returns once it listens.
   */
  async launchJoining(node: string): Promise<void> {
    if (this.liveNodes.includes(node)) throw new Error(`local platform: cannot launch ${node} to join: it is running already (the cluster's nodes are ${this.liveNodes.join(', ')}); remove it first`);
    const supervisor = this.supervisor(node);
    await this.emptyDataDir(node);
    this.joined.add(node);
    this.liveNodes.push(node);
    if (!this.launched.includes(node)) this.launched.push(node);
    this.spec.progress?.(`local: starting ${node} to join the cluster (RAFT_JOIN=true, empty data directory)…`);
    try {
      await supervisor.start();
    } catch (error) {
      await this.retire(node);
      throw error;
    }
    void this.writeRecord();
  }

  /** Capability membership: stops `node` for good and deletes its data; its log stays for collectLogs. */
  async removeNode(node: string): Promise<void> {
    if (!this.liveNodes.includes(node)) throw new Error(`local platform: cannot remove ${node}: it is not running (the cluster's nodes are ${this.liveNodes.join(', ')})`);
    this.spec.progress?.(`local: removing ${node} for good (process and data)…`);
    await this.retire(node);
    await this.emptyDataDir(node);
    void this.writeRecord();
  }

  /** Stops the node's supervisor for good and puts a fresh, unstarted one on the same ports in its place. */
  private async retire(node: string): Promise<void> {
    const supervisor = this.supervisor(node);
    this.liveNodes.splice(this.liveNodes.indexOf(node), 1);
    this.retired.push(supervisor);
    await supervisor.teardown(this.settings.teardownGraceMs);
    this.supervisors.set(node, this.createSupervisor(node, supervisor.clientPort, supervisor.peerPort));
  }

  /** Deletes what the directory holds (not the directory: it may be a loop disk's mount point). */
  private async emptyDataDir(node: string): Promise<void> {
    const dir = this.dataDir(node);
    await mkdir(dir, { recursive: true });
    for (const entry of await readdir(dir)) await rm(join(dir, entry), { recursive: true, force: true });
  }

  private liveSupervisors(): NodeSupervisor[] {
    return this.liveNodes.map((node) => this.supervisor(node));
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

  private createSupervisor(node: string, clientPort: number, peerPort: number): NodeSupervisor {
    const settings = {
      node,
      logPath: this.logPath(node),
      host: this.hostOf(node),
      // Only where the cutter's rules match on it: another group id takes root to switch to.
      ...(this.cutter !== undefined ? { groupId: this.addresses!.get(node)!.groupId } : {}),
      launch: (ports: { clientPort: number; peerPort: number }) => this.prepareLaunch(node, ports),
      restartDelayMs: this.spec.restartDelayMs,
      stopTimeoutMs: this.settings.stopTimeoutMs,
      startTimeoutMs: this.settings.startTimeoutMs,
      maxCrashRestarts: this.settings.maxCrashRestarts,
      report: (message: string) => this.spec.progress?.(`local: ${message}`),
      changed: () => void this.writeRecord(),
    };
    return new NodeSupervisor(settings, clientPort, peerPort);
  }

  /** The system's launch of one node for its current ports; writes the config files it asks for. */
  /** `directLinks`: peers dial each other's own ports, not the proxies (a kept cluster outlives them). */
  private async prepareLaunch(node: string, ports: { clientPort: number; peerPort: number }, options: { directLinks?: boolean } = {}): Promise<PreparedLaunch> {
    const throughProxy = this.addresses === undefined && options.directLinks !== true;
    const self = { ...this.placementOf(node), ...ports };
    const launch = this.system.launch({
      self,
      nodes: this.allNodes.map((other) => (other === node ? self : this.placementOf(other))),
      ...this.membersFor(node),
      ...(this.joined.has(node) ? { joining: true } : {}),
      dataDir: this.dataDir(node),
      peerAddress: (to) => (throughProxy ? `${loopbackHost}:${this.proxyPort(node, to)}` : `${this.hostOf(to)}:${this.supervisor(to).peerPort}`),
      serverEnv: this.spec.serverEnv,
    });
    await writeLaunchFiles(this.dataDir(node), launch);
    return {
      command: commandOfLaunch(launch),
      environment: { ...launch.environment, [runMarkerVariable]: this.spec.runId },
    };
  }

  /**
   * RAFT_MEMBERS: the launch nodes when there are spares. A node launched to join gets the nodes
   * running now instead: a node in no configuration keeps peer links only to RAFT_MEMBERS, and the
   * leader that adds it may be a node that joined after the launch.
   */
  private membersFor(node: string): { members?: readonly string[] } {
    if (this.joined.has(node)) return { members: this.liveNodes.filter((other) => other !== node) };
    return this.allNodes.length > this.spec.nodes.length ? { members: this.spec.nodes } : {};
  }

  private placementOf(node: string): NodePlacement {
    const supervisor = this.supervisor(node);
    const host = this.hostOf(node);
    return { node, index: this.allNodes.indexOf(node), host, listenHost: host, clientPort: supervisor.clientPort, peerPort: supervisor.peerPort };
  }

  private async openProxies(): Promise<void> {
    for (const dialer of this.allNodes) {
      for (const listener of this.allNodes.filter((node) => node !== dialer)) {
        const pipeSettings = { framing: this.settings.framing, random: this.settings.random ?? linkRandom(this.spec, { from: dialer, to: listener }) };
        const hosts = this.addresses === undefined ? undefined : { targetHost: this.hostOf(listener), sourceHost: this.hostOf(dialer) };
        // Read at every connection: a removed and relaunched node has a new supervisor.
        const proxy = new LinkProxy(dialer, listener, this.table, () => this.supervisor(listener).peerPort, pipeSettings, hosts);
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
    await this.cutter?.remove();
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
      ...(this.cutter !== undefined ? { iptablesChain: this.cutter.chain } : {}),
      nodes: this.liveSupervisors().map((supervisor) => {
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
    return this.liveSupervisors()
      .map((supervisor) => `${supervisor.node} pid ${supervisor.pid ?? '-'} at ${this.clientAddress(supervisor.node)}`)
      .join(', ');
  }

  private supervisor(node: string): NodeSupervisor {
    const supervisor = this.supervisors.get(node);
    if (supervisor === undefined) {
      throw new Error(`local platform: unknown node "${node}"; the cluster's nodes are ${this.allNodes.join(', ')}`);
    }
    return supervisor;
  }

  /** Where iptables works (root): the chains that cut this run's links; elsewhere cutLinks says why not. */
  private prepareCutter(): void {
    if (iptablesUnavailableReason() !== undefined) return;
    this.cutter = new IptablesLinkCutter(iptablesChainName(this.spec.runId), [...this.addresses!.values()]);
  }

  private requireCutter(what: 'cut' | 'shape'): IptablesLinkCutter {
    const unavailable = iptablesUnavailableReason();
    if (this.cutter === undefined) throw new Error(`local platform: cannot ${what} the links of system ${this.system.name}: ${unavailable ?? 'the iptables chains were not installed'}`);
    return this.cutter;
  }

  private requireProxy(from: string, to: string): LinkProxy {
    const proxy = this.proxies.get(linkKey({ from, to }));
    if (proxy === undefined) throw new Error(`local platform: no proxy for link ${from}->${to}`);
    return proxy;
  }
}
