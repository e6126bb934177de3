// A running cluster on the docker platform: one container per node on the run's network, data
// on a named volume per node, faults through the Docker API and iptables in the containers'
// network namespaces.

import type Docker from 'dockerode';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterSpec, Link, LinkShape, NodeIdentity, StartedCluster } from '../../platform/platform.js';
import { containerLogs, lastLogLines } from './container-logs.js';
import { containerName } from './docker-names.js';
import { LinkFaultController, type NodePlacement } from './link-fault-controller.js';
import { createNodeContainer, inspectRunning, nodeInstance, removeContainer, type RunningContainer } from './node-container.js';
import { freePorts } from '../../shared/free-ports.js';
import { dataDirectory } from './node-environment.js';
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
  state: 'running' | 'paused' | 'stopped' | 'killed';
  /** Output of the containers this node had before it was replaced. */
  earlierLogs: Buffer[];
}

const ignoredStatus = (codes: number[]) => (error: unknown) => {
  if (!codes.includes((error as { statusCode?: number }).statusCode ?? 0)) throw error;
};

export class DockerStartedCluster implements StartedCluster {
  readonly nodes: readonly string[];
  private readonly records = new Map<string, NodeRecord>();
  private readonly links: LinkFaultController;
  private readonly pending = new Set<Promise<void>>();
  private readonly replacementErrors: string[] = [];
  private readonly abort = new AbortController();
  private teardownPromise?: Promise<void>;

  constructor(private readonly setup: DockerClusterSetup) {
    this.nodes = [...setup.spec.nodes];
    this.links = new LinkFaultController(setup.network.gateway, () => this.placements(), setup.spec);
  }

  /** Creates and starts every node's container (called once by the platform). */
  async launchAll(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        const [hostPort] = (await freePorts(1)) as [number];
        // A handle by name (no API call); launch() creates the container and replaces it.
        const container = this.setup.docker.getContainer(containerName(this.setup.spec.runId, node));
        const record: NodeRecord = { node, container, hostPort, state: 'killed', earlierLogs: [] };
        this.records.set(node, record);
        await this.launch(record);
        this.progress(`cluster: ${node} started (container ${record.running!.containerId.slice(0, 12)}, client port ${this.clientAddress(node)})`);
      }),
    );
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

  async collectLogs(dir: string): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const paths: string[] = [];
    for (const record of this.records.values()) {
      const path = join(dir, `${record.node}.log`);
      await writeFile(path, Buffer.concat([...record.earlierLogs, await containerLogs(record.container)]));
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

  private async healNode(record: NodeRecord): Promise<void> {
    if (record.state === 'paused') await this.resume(record.node);
    else if (record.state === 'stopped') await this.start(record.node);
    else if (record.state === 'killed') await this.replace(record);
  }

  private record(node: string): NodeRecord {
    const record = this.records.get(node);
    if (record === undefined) throw new Error(`unknown node ${node}; this cluster has ${this.nodes.join(', ')}`);
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
    const volume = this.setup.volumes.get(record.node)!;
    const launch = this.systemLaunch(record.node);
    const base = { runId: spec.runId, node: record.node, nodes: this.nodes, image, serverEnv: spec.serverEnv, network: network.name, volume, stopTimeoutSeconds, owner, ...(launch !== undefined ? { launch } : {}) };
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
    return systemContainerLaunch(system, node, this.nodes, serverEnv);
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
