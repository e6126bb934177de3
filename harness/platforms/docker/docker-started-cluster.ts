// A running cluster on the docker platform: one container per node on the run's network, data
// on a named volume per node, faults through the Docker API and iptables in the containers'
// network namespaces. Membership: spares get a container and an empty volume when they are
// launched to join, and a removed node loses both (its output so far is kept for the logs).

import type Docker from 'dockerode';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterSpec, Link, LinkShape, NodeIdentity, StartedCluster } from '../../platform/platform.js';
import { containerLogs, lastLogLines } from './container-logs.js';
import { dockerLabels } from './docker-labels.js';
import { containerName, volumeName } from './docker-names.js';
import { LinkFaultController, type NodePlacement } from './link-fault-controller.js';
import { createNodeContainer, inspectRunning, nodeInstance, removeContainer, type RunningContainer } from './node-container.js';
import { freePorts } from '../../shared/free-ports.js';
import { dataDirectory, peerAddress } from './node-environment.js';
import { removeLabelled } from './remove-labelled.js';
import { launchFilesArchive } from './launch-files-archive.js';
import { systemContainerLaunch, type ContainerLaunch } from './system-container-launch.js';

export interface DockerClusterSetup {
  docker: Docker;
  spec: ClusterSpec;
  image: string;
  network: { name: string; gateway: string };
  volumes: ReadonlyMap<string, string>;
  stopTimeoutSeconds: number;
  /** The `raft-chaos.owner` label value for every object of the run. */
  owner?: string;
}

interface NodeRecord {
  node: string;
  container: Docker.Container;
  /** Undefined while the container is down (stopped, killed, not yet replaced). */
  running?: RunningContainer;
  /** The last address the node had on the run network, kept while it is down. */
  lastAddress?: string;
  hostPort?: number;
  /**
   * Which run of which container is the node: `<container id>@<start time>`. It changes when
   * the container is replaced and when it is stopped and started again (a new server process),
   * as a pid does on the local platform; kept while the node is down.
   */
  instance?: string;
  state: 'running' | 'paused' | 'stopped' | 'killed' | 'removed';
  /** Output of the containers this node had before it was replaced (or removed and launched again). */
  earlierLogs: Buffer[];
  /** Launched by launchJoining: RAFT_JOIN=true, also in the containers that replace it. */
  joining: boolean;
}

const ignoredStatus = (codes: number[]) => (error: unknown) => {
  if (!codes.includes((error as { statusCode?: number }).statusCode ?? 0)) throw error;
};

export class DockerStartedCluster implements StartedCluster {
  private readonly liveNodes: string[];
  /** Every node with an address in RAFT_PEERS: the launch nodes, then the spares. */
  private readonly peers: readonly string[];
  /** RAFT_MEMBERS when there are spares; undefined: every peer is a launch voter. */
  private readonly launchMembers: readonly string[] | undefined;
  private readonly volumes: Map<string, string>;
  /** The output of removed nodes, collected with the others' logs. */
  private readonly departedLogs = new Map<string, Buffer[]>();
  private readonly records = new Map<string, NodeRecord>();
  private readonly links: LinkFaultController;
  private readonly pending = new Set<Promise<void>>();
  private readonly replacementErrors: string[] = [];
  private readonly abort = new AbortController();
  private teardownPromise?: Promise<void>;

  constructor(private readonly setup: DockerClusterSetup) {
    const spares = setup.spec.spareNodes ?? [];
    this.liveNodes = [...setup.spec.nodes];
    this.peers = [...setup.spec.nodes, ...spares];
    this.launchMembers = spares.length > 0 ? [...setup.spec.nodes] : undefined;
    this.volumes = new Map(setup.volumes);
    this.links = new LinkFaultController(setup.network.gateway, () => this.placements(), setup.spec);
  }

  /** Creates and starts every node's container (called once by the platform). */
  async launchAll(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        const [hostPort] = (await freePorts(1)) as [number];
        // A handle by name (no API call); launch() creates the container and replaces it.
        const container = this.setup.docker.getContainer(containerName(this.setup.spec.runId, node));
        const record: NodeRecord = { node, container, hostPort, state: 'killed', earlierLogs: [], joining: false };
        this.records.set(node, record);
        await this.launch(record);
        this.progress(`cluster: ${node} started (container ${record.running!.containerId.slice(0, 12)}, client port ${this.clientAddress(node)})`);
      }),
    );
  }

  /** The nodes running now (or stopped, paused, killed): launch nodes and joined ones, less the removed. */
  get nodes(): readonly string[] {
    return [...this.liveNodes];
  }

  clientAddress(node: string): string {
    const record = this.record(node);
    if (record.hostPort === undefined) throw new Error(`${node} has no published client port yet`);
    return `127.0.0.1:${record.hostPort}`;
  }

  async identity(node: string): Promise<NodeIdentity> {
    const record = this.record(node);
    return { node, instance: record.instance ?? record.container.id };
  }

  /**
   * Where peers reach `node` on the run network (its alias), for `add-member`. Nodes dial a spare
   * at its RAFT_PEERS entry, which is this same address.
   */
  peerAddress(node: string): string {
    if (!this.peers.includes(node)) throw new Error(`unknown node ${node}; run ${this.setup.spec.runId} gives addresses to ${this.peers.join(', ')}`);
    return peerAddress(node);
  }

  /** The container's current address on the run network (undefined while it is down). */
  containerAddress(node: string): string | undefined {
    return this.record(node).running?.ipAddress;
  }

  /** The host process id of the node's server (undefined while it is down), for nsenter. */
  serverPid(node: string): number | undefined {
    return this.record(node).running?.pid;
  }

  /** Every iptables rule currently installed, as `node: table chain args`. */
  installedRules(): string[] {
    return this.links.installedRules();
  }

  async kill(node: string): Promise<void> {
    const record = this.record(node);
    if (record.state === 'killed') return; // already killed; its replacement is on the way
    await this.dockerAction(record, 'kill', () => record.container.kill({ signal: 'SIGKILL' }).catch(ignoredStatus([409])));
    await this.waitExited(record);
    record.state = 'killed';
    record.running = undefined;
    const replacement = this.replaceAfterDelay(record).catch((error: Error) => {
      this.replacementErrors.push(`${node}: ${error.message}`);
    });
    this.pending.add(replacement);
    void replacement.finally(() => this.pending.delete(replacement));
  }

  async stop(node: string): Promise<void> {
    const record = this.record(node);
    await this.dockerAction(record, 'stop', () => record.container.stop({ t: this.setup.stopTimeoutSeconds }).catch(ignoredStatus([304])));
    record.state = 'stopped';
    record.running = undefined;
  }

  async start(node: string): Promise<void> {
    const record = this.record(node);
    if (record.state === 'killed') {
      await Promise.allSettled([...this.pending]);
      if (record.state !== 'killed') return;
      return this.replace(record);
    }
    await this.dockerAction(record, 'start', () => record.container.start().catch(ignoredStatus([304])));
    await this.readBack(record);
    await this.links.reconcile();
  }

  async pause(node: string): Promise<void> {
    const record = this.record(node);
    await this.dockerAction(record, 'pause', () => record.container.pause());
    record.state = 'paused';
  }

  async resume(node: string): Promise<void> {
    const record = this.record(node);
    await this.dockerAction(record, 'resume', () => record.container.unpause().catch(ignoredStatus([409])));
    record.state = 'running';
  }

  async cutLinks(links: Link[]): Promise<void> {
    for (const link of links) this.checkLink(link);
    await this.links.cut(links);
  }

  async shapeLinks(links: Link[], shape: LinkShape): Promise<void> {
    for (const link of links) this.checkLink(link);
    await this.links.shape(links, shape);
  }

  async healAll(): Promise<void> {
    await this.links.heal();
    await Promise.allSettled([...this.pending]);
    for (const record of this.records.values()) await this.healNode(record);
    const errors = this.replacementErrors.splice(0);
    if (errors.length > 0) throw new Error(`docker platform: replacing killed nodes failed: ${errors.join('; ')}`);
  }

  /**
   * Capability membership: a new container for `node` (a spare, or a node removed before) on a
   * new, empty volume, with RAFT_JOIN=true; returns once it runs. Link faults already set
   * reach it as soon as it has an address.
   */
  async launchJoining(node: string): Promise<void> {
    this.checkMembership(node);
    const existing = this.records.get(node);
    if (existing !== undefined) {
      throw new Error(`docker platform: cannot launch ${node} to join: it is a node of run ${this.setup.spec.runId} already (${existing.state}); removeNode it first`);
    }
    const [hostPort] = (await freePorts(1)) as [number];
    const container = this.setup.docker.getContainer(containerName(this.setup.spec.runId, node));
    const record: NodeRecord = { node, container, hostPort, state: 'killed', earlierLogs: this.departedLogs.get(node) ?? [], joining: true };
    try {
      await this.createEmptyVolume(node);
      this.records.set(node, record);
      await this.launch(record);
    } catch (error) {
      this.records.delete(node);
      await removeContainer(record.container).catch(() => undefined);
      await this.removeVolume(node).catch(() => undefined);
      throw new Error(`docker platform: launching ${node} to join failed: ${(error as Error).message}`);
    }
    this.departedLogs.delete(node);
    this.liveNodes.push(node);
    await this.links.reconcile();
    this.progress(`cluster: ${node} launched to join (container ${record.running!.containerId.slice(0, 12)}, client port ${this.clientAddress(node)})`);
  }

  /**
   * Capability membership: removes `node`'s container and volume for good (after remove-member
   * committed). Its output so far stays for collectLogs; a pending replacement is dropped.
   */
  async removeNode(node: string): Promise<void> {
    this.checkMembership(node);
    const record = this.record(node);
    record.state = 'removed';
    await Promise.allSettled([...this.pending]);
    record.state = 'removed';
    record.earlierLogs.push(await containerLogs(record.container));
    await this.dockerAction(record, 'remove', () => removeContainer(record.container));
    this.records.delete(node);
    this.liveNodes.splice(this.liveNodes.indexOf(node), 1);
    this.departedLogs.set(node, record.earlierLogs);
    await this.removeVolume(node);
    await this.links.reconcile();
    this.progress(`cluster: ${node} removed with its volume`);
  }

  async collectLogs(dir: string): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const paths: string[] = [];
    for (const record of this.records.values()) {
      const path = join(dir, `${record.node}.log`);
      await writeFile(path, Buffer.concat([...record.earlierLogs, await containerLogs(record.container)]));
      paths.push(path);
    }
    for (const [node, logs] of this.departedLogs) {
      const path = join(dir, `${node}.log`);
      await writeFile(path, Buffer.concat(logs));
      paths.push(path);
    }
    return paths;
  }

  teardown(): Promise<void> {
    this.teardownPromise ??= this.removeEverything();
    return this.teardownPromise;
  }

  private async removeEverything(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.pending]);
    const ruleError = await this.links.heal().then(() => undefined, (error: Error) => error.message);
    const removed = await removeLabelled(this.setup.docker, this.setup.spec.runId);
    this.progress(`cluster: removed ${removed.length} docker objects of run ${this.setup.spec.runId}`);
    if (ruleError !== undefined) throw new Error(`docker platform teardown: removing link rules failed: ${ruleError}`);
  }

  /** Membership needs the reference server (RAFT_JOIN) and a node with an address in RAFT_PEERS. */
  private checkMembership(node: string): void {
    const { system, runId } = this.setup.spec;
    if (system !== undefined && system.name !== 'raft') {
      throw new Error(`docker platform: membership changes need the reference server (RAFT_JOIN); system ${system.name} has none`);
    }
    if (!this.peers.includes(node)) {
      throw new Error(`docker platform: ${node} is neither a launch node nor a spare of run ${runId} (${this.peers.join(', ')}), so no peer has its address; name it in spareNodes`);
    }
  }

  /** A fresh volume for `node`: one left by an earlier launch of that name is removed first. */
  private async createEmptyVolume(node: string): Promise<void> {
    const { docker, spec, owner } = this.setup;
    await this.removeVolume(node);
    const name = volumeName(spec.runId, node);
    await docker.createVolume({ Name: name, Labels: dockerLabels(spec.runId, node, owner) });
    this.volumes.set(node, name);
  }

  private async removeVolume(node: string): Promise<void> {
    const name = volumeName(this.setup.spec.runId, node);
    this.volumes.delete(node);
    try {
      await this.setup.docker.getVolume(name).remove();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return;
      const reason = (error as { json?: { message?: string } }).json?.message ?? (error as Error).message;
      throw new Error(`docker platform: removing volume ${name} of ${node} failed: ${reason}; \`docker volume rm ${name}\` removes it`);
    }
  }

  private async healNode(record: NodeRecord): Promise<void> {
    if (record.state === 'paused') await this.resume(record.node);
    else if (record.state === 'stopped') await this.start(record.node);
    else if (record.state === 'killed') await this.replace(record);
  }

  private record(node: string): NodeRecord {
    const record = this.records.get(node);
    if (record === undefined) throw new Error(`unknown node ${node}; this cluster has ${this.liveNodes.join(', ')}`);
    return record;
  }

  /** Runs one Docker API call on a node's container; a failure names the node, container and call. */
  private async dockerAction(record: NodeRecord, what: string, action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      const reason = (error as { json?: { message?: string } }).json?.message ?? (error as Error).message;
      throw new Error(`docker platform: ${what} ${record.node} (container ${record.container.id.slice(0, 12)}, ${record.state}) failed: ${reason}`);
    }
  }

  private checkLink(link: Link): void {
    this.record(link.from);
    this.record(link.to);
  }

  private progress(message: string): void {
    this.setup.spec.progress?.(message);
  }

  /**
   * Creates and starts the node's container on its host port; when that port has been taken
   * meanwhile, on one the daemon picks (read back from inspect).
   */
  private async launch(record: NodeRecord): Promise<void> {
    const { docker, spec, image, network, stopTimeoutSeconds, owner } = this.setup;
    const volume = this.volumes.get(record.node)!;
    const launch = this.systemLaunch(record.node);
    const membership = { ...(this.launchMembers !== undefined ? { members: this.launchMembers } : {}), join: record.joining };
    const base = { runId: spec.runId, node: record.node, nodes: this.peers, membership, image, serverEnv: spec.serverEnv, network: network.name, volume, stopTimeoutSeconds, owner, ...(launch !== undefined ? { launch } : {}) };
    record.container = await createNodeContainer(docker, { ...base, hostPort: record.hostPort });
    await putLaunchFiles(record.container, launch);
    try {
      await record.container.start();
    } catch (error) {
      if (record.hostPort === undefined || !/port|address already in use/i.test((error as Error).message)) throw error;
      await removeContainer(record.container);
      record.container = await createNodeContainer(docker, base);
      await putLaunchFiles(record.container, launch);
      await record.container.start();
    }
    await this.readBack(record);
  }

  /** A third-party system's command line; undefined for the reference server (its image's own entrypoint). */
  private systemLaunch(node: string): ContainerLaunch | undefined {
    const { system, serverEnv } = this.setup.spec;
    if (system === undefined || system.name === 'raft') return undefined;
    return systemContainerLaunch(system, node, this.setup.spec.nodes, serverEnv);
  }

  private async readBack(record: NodeRecord): Promise<void> {
    try {
      record.running = await inspectRunning(record.container, this.setup.network.name);
    } catch (error) {
      const output = await lastLogLines(record.container);
      throw new Error(`${(error as Error).message}\nlast output of ${record.node}:\n${output}`);
    }
    record.lastAddress = record.running.ipAddress;
    record.hostPort = record.running.hostPort;
    record.instance = nodeInstance(record.running);
    record.state = 'running';
  }

  private async waitExited(record: NodeRecord): Promise<void> {
    const timer = new AbortController();
    const deadline = sleep(30_000, 'timeout' as const, { signal: timer.signal }).catch(() => 'cancelled' as const);
    const exited = record.container.wait({ condition: 'not-running' }).then(() => 'exited' as const);
    try {
      if ((await Promise.race([exited, deadline])) === 'timeout') {
        throw new Error(`${record.node}: container ${record.container.id.slice(0, 12)} did not exit within 30 s of SIGKILL`);
      }
    } finally {
      timer.abort();
    }
  }

  /** The pod-delete analogue: after restartDelayMs a new container takes over the node's volume. */
  private async replaceAfterDelay(record: NodeRecord): Promise<void> {
    await sleep(this.setup.spec.restartDelayMs, undefined, { signal: this.abort.signal }).catch(() => undefined);
    if (this.abort.signal.aborted || record.state !== 'killed') return;
    await this.replace(record);
  }

  private async replace(record: NodeRecord): Promise<void> {
    record.earlierLogs.push(await containerLogs(record.container));
    await removeContainer(record.container);
    await this.launch(record);
    this.progress(`cluster: ${record.node} replaced by container ${record.running!.containerId.slice(0, 12)}`);
    await this.links.reconcile();
  }

  private placements(): Map<string, NodePlacement> {
    return new Map([...this.records.values()].map((record) => [record.node, { address: record.lastAddress, pid: record.running?.pid }]));
  }
}

/** Writes a system's config files into the container's data directory (its volume), before it starts. */
async function putLaunchFiles(container: Docker.Container, launch: ContainerLaunch | undefined): Promise<void> {
  if (launch === undefined || Object.keys(launch.files).length === 0) return;
  await container.putArchive(await launchFilesArchive(launch.files), { path: dataDirectory });
}
