// The Kubernetes platform: the reference server as a StatefulSet, one replica per worker.
// Faults: delete the leader's pod (grace 0) and let the StatefulSet bring it back; stop, start,
// pause the kind node container hosting a pod (dockerode); cut and shape pod-to-pod links with
// iptables and tc inside the kind node containers; grow and shrink by scaling the StatefulSet
// (kind-membership.ts). With any other cluster from a kubeconfig, only the Kubernetes-level
// capabilities (kill, readLogs, membership) are offered.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import type {
  Capability,
  ClusterSpec,
  Link,
  LinkShape,
  NodeIdentity,
  Platform,
  StartedCluster,
} from '../../platform/platform.js';
import { customizeManifests } from './customize-manifests.js';
import { createKindCluster, kindClusterExists, loadImageIntoKind, renderKustomization } from './kind-cli.js';
import {
  clearShapingCommand,
  dropLinkCommand,
  ensureChainCommands,
  flushChainCommand,
  shapeLinkCommands,
} from './kind-link-rules.js';
import { KindMembership, kindSpareNodesProblem, readPodLogs, relaunchSeparator } from './kind-membership.js';
import { KindNodeContainers } from './kind-node-container.js';
import { kindSettings } from './kind-settings.js';
import { podPeerAddress } from './membership-files.js';
import { startPodPortForward, type PodPortForward } from './pod-port-forward.js';
import { podInstance, RaftKubernetesApi, type PodSummary } from './raft-kubernetes-api.js';
import { statefulSetPodNames } from './raft-peers.js';
import { validateManifests } from './validate-manifests.js';
import { pollUntil } from '../../shared/poll-until.js';

const projectRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export interface KindPlatformOptions {
  /** Default: the kubeconfig kubectl would use. */
  kubeConfig?: KubeConfig;
  /** true: a kind cluster the harness may create and whose node containers it may stop. */
  manageKindCluster?: boolean;
  clusterName?: string;
  manifestsDir?: string;
  kindConfigPath?: string;
  /** Builds the server image and returns its reference (the docker platform's builder). */
  buildImage?: (progress: (line: string) => void) => Promise<string>;
  nodeContainers?: KindNodeContainers;
  /** How long pods may take to become ready. */
  readyTimeoutMs?: number;
}

const kindCapabilities: Capability[] = ['kill', 'stopStart', 'pause', 'cutLinks', 'shapeLinks', 'readLogs', 'membership'];
const kubernetesCapabilities: Capability[] = ['kill', 'readLogs', 'membership'];

export function createKindPlatform(options: KindPlatformOptions = {}): Platform {
  const manageKindCluster = options.manageKindCluster ?? true;
  const settings = {
    clusterName: options.clusterName ?? kindSettings.clusterName,
    manifestsDir: options.manifestsDir ?? join(projectRoot, 'manifests'),
    kindConfigPath: options.kindConfigPath ?? join(projectRoot, 'kind', 'cluster.yaml'),
    readyTimeoutMs: options.readyTimeoutMs ?? 180_000,
  };
  const kubeConfig = () => options.kubeConfig ?? loadDefaultKubeConfig();
  return {
    name: 'kind',
    capabilities: new Set(manageKindCluster ? kindCapabilities : kubernetesCapabilities),
    async start(spec) {
      const progress = spec.progress ?? (() => {});
      if (spec.system !== undefined && spec.system.name !== 'raft') {
        throw new Error(`the kind platform runs the reference server image only; system ${spec.system.name} needs --platform local`);
      }
      if (manageKindCluster && !(await kindClusterExists(settings.clusterName))) {
        await createKindCluster(settings.clusterName, settings.kindConfigPath, progress);
      }
      const image = await (options.buildImage ?? buildImageWithDockerPlatform)(progress);
      if (manageKindCluster) await loadImageIntoKind(settings.clusterName, image, progress);
      const config = kubeConfig();
      const api = new RaftKubernetesApi(config);
      await deployStatefulSet(api, spec, image, settings.manifestsDir, progress);
      await waitForReadyPods(api, spec.nodes, settings.readyTimeoutMs, progress);
      const forwards = await forwardEveryPod(config, spec.nodes);
      const membership = { openForward: (pod: string) => startPodPortForward(config, kindSettings.namespace, pod, kindSettings.clientPort), readyTimeoutMs: settings.readyTimeoutMs };
      return new KindCluster(spec, api, forwards, options.nodeContainers ?? new KindNodeContainers(), membership);
    },
    async sweep() {
      const api = new RaftKubernetesApi(kubeConfig());
      await api.deleteStatefulSetAndClaims();
      return [`StatefulSet ${kindSettings.statefulSetName} and its claims in namespace ${kindSettings.namespace}`];
    },
  };
}

function loadDefaultKubeConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromDefault();
  return config;
}

async function buildImageWithDockerPlatform(progress: (line: string) => void): Promise<string> {
  const { buildServerImage } = await import('../../server-image/build-server-image.js');
  const { tag } = await buildServerImage({ progress });
  return tag;
}

async function deployStatefulSet(
  api: RaftKubernetesApi,
  spec: ClusterSpec,
  image: string,
  manifestsDir: string,
  progress: (line: string) => void,
): Promise<void> {
  const expected = statefulSetPodNames(kindSettings.statefulSetName, spec.nodes.length);
  if (expected.join() !== spec.nodes.join()) {
    throw new Error(`the kind platform names nodes ${expected.join(', ')}; the scenario asked for ${spec.nodes.join(', ')}`);
  }
  const spareProblem = kindSpareNodesProblem(spec);
  if (spareProblem !== undefined) throw new Error(spareProblem);
  progress('removing the previous StatefulSet and its claims, if any');
  await api.deleteStatefulSetAndClaims();
  const objects = customizeManifests(await renderKustomization(manifestsDir), {
    replicas: spec.nodes.length,
    spareReplicas: spec.spareNodes?.length ?? 0,
    serverEnv: spec.serverEnv,
    image,
    runId: spec.runId,
  });
  const manifestsPath = join(spec.workDir, 'manifests.json');
  await writeFile(manifestsPath, JSON.stringify(objects, null, 2));
  const problems = validateManifests(objects);
  if (problems.length > 0) {
    throw new Error(
      `the rendered manifests (${manifestsPath}, from ${manifestsDir}) fail the Kubernetes schemas: ` +
        `${problems.map((problem) => `${problem.object}: ${problem.message}`).join('; ')}; fix the manifests, nothing was applied`,
    );
  }
  progress(`applying ${objects.length} objects to namespace ${kindSettings.namespace}`);
  await api.apply(objects);
}

async function waitForReadyPods(
  api: RaftKubernetesApi,
  nodes: readonly string[],
  timeoutMs: number,
  progress: (line: string) => void,
): Promise<PodSummary[]> {
  const outcome = await pollUntil<PodSummary[]>({
    what: `${nodes.length} ready pods`,
    timeoutMs,
    intervalMs: 1000,
    progressEveryMs: 0,
    progress,
    attempt: async () => {
      const pods = (await api.listPods()).filter((pod) => nodes.includes(pod.name) && !pod.deleting);
      const ready = pods.filter((pod) => pod.ready);
      return { done: ready.length === nodes.length, finding: pods, describe: `pods ready: ${ready.length}/${nodes.length}` };
    },
  });
  if (outcome.done) return outcome.finding;
  const states = (outcome.finding ?? []).map((pod) => `${pod.name}: ${pod.phase}${pod.ready ? ' ready' : ''}`).join(', ');
  throw new Error(
    `pods not ready within ${timeoutMs} ms (${states || 'no pods'}); ` +
      `look at \`kubectl -n ${kindSettings.namespace} describe pods\` and \`kubectl -n ${kindSettings.namespace} get events\``,
  );
}

async function forwardEveryPod(config: KubeConfig, nodes: readonly string[]): Promise<Map<string, PodPortForward>> {
  const forwards = new Map<string, PodPortForward>();
  for (const node of nodes) {
    forwards.set(node, await startPodPortForward(config, kindSettings.namespace, node, kindSettings.clientPort));
  }
  return forwards;
}

/** How the cluster reaches pods it launches to join, and how long they may take. */
export interface KindMembershipOptions {
  openForward: (pod: string) => Promise<PodPortForward>;
  readyTimeoutMs: number;
  pollIntervalMs?: number;
}

export class KindCluster implements StartedCluster {
  private readonly membership: KindMembership;
  private readonly stoppedHosts = new Set<string>();
  private readonly pausedHosts = new Set<string>();
  private readonly touchedHosts = new Set<string>();
  private tornDown = false;

  constructor(
    spec: ClusterSpec,
    private readonly api: RaftKubernetesApi,
    private readonly forwards: Map<string, PodPortForward>,
    private readonly hosts: KindNodeContainers,
    membership?: KindMembershipOptions,
  ) {
    const openForward = membership?.openForward ?? ((pod: string) => Promise.reject(new Error(`no port-forward can be opened to ${pod}: this cluster was made without a kubeconfig`)));
    this.membership = new KindMembership({
      api,
      spec,
      forwards,
      openForward,
      readyTimeoutMs: membership?.readyTimeoutMs ?? 180_000,
      pollIntervalMs: membership?.pollIntervalMs ?? 1000,
    });
  }

  /** The live nodes: the launch pods and those launched to join, less the removed ones. */
  get nodes(): readonly string[] {
    return this.membership.nodes;
  }

  clientAddress(node: string): string {
    const forward = this.forwards.get(node);
    if (!forward) throw new Error(`unknown node ${node}; nodes are ${this.nodes.join(', ')}`);
    return forward.address;
  }

  async identity(node: string): Promise<NodeIdentity> {
    return { node, instance: podInstance(await this.api.readPod(node)) };
  }

  async kill(node: string): Promise<void> {
    await this.api.deletePod(node);
  }

  async stop(node: string): Promise<void> {
    const host = await this.hostOf(node);
    await this.hosts.stop(host);
    this.stoppedHosts.add(host);
  }

  async start(node: string): Promise<void> {
    const host = await this.hostOf(node);
    await this.hosts.start(host);
    this.stoppedHosts.delete(host);
  }

  async pause(node: string): Promise<void> {
    const host = await this.hostOf(node);
    await this.hosts.pause(host);
    this.pausedHosts.add(host);
  }

  async resume(node: string): Promise<void> {
    const host = await this.hostOf(node);
    await this.hosts.resume(host);
    this.pausedHosts.delete(host);
  }

  async cutLinks(links: Link[]): Promise<void> {
    await this.clearLinkRules();
    const pods = await this.podsByName();
    for (const link of links) {
      const from = requirePlaced(pods, link.from);
      const to = requirePlaced(pods, link.to);
      for (const command of ensureChainCommands()) await this.hosts.exec(from.nodeName, command);
      await this.hosts.exec(from.nodeName, dropLinkCommand(from.podIp, to.podIp));
      this.touchedHosts.add(from.nodeName);
    }
  }

  async shapeLinks(links: Link[], shape: LinkShape): Promise<void> {
    await this.clearShaping();
    const pods = await this.podsByName();
    const destinationsByHost = new Map<string, string[]>();
    for (const link of links) {
      const from = requirePlaced(pods, link.from);
      const to = requirePlaced(pods, link.to);
      destinationsByHost.set(from.nodeName, [...(destinationsByHost.get(from.nodeName) ?? []), to.podIp]);
    }
    for (const [host, destinations] of destinationsByHost) {
      for (const command of shapeLinkCommands('eth0', destinations, shape)) await this.hosts.exec(host, command);
      this.touchedHosts.add(host);
    }
  }

  /**
   * Capability membership: grows the StatefulSet to `node`'s ordinal (or, below it, replaces the
   * pod and its claim) with RAFT_JOIN=true in its membership file; returns once it is ready.
   */
  launchJoining(node: string): Promise<void> {
    return this.membership.launchJoining(node);
  }

  /**
   * Capability membership: scales the StatefulSet down past `node`, deleting its claim; a node
   * below the highest live ordinal is parked instead (kind-membership.ts). Its log is kept.
   */
  removeNode(node: string): Promise<void> {
    return this.membership.removeNode(node);
  }

  /** Where peers reach `node`: its DNS name behind the headless service, for add-member. */
  peerAddress(node: string): string {
    return podPeerAddress(node);
  }

  async healAll(): Promise<void> {
    for (const host of [...this.pausedHosts]) await this.hosts.resume(host);
    this.pausedHosts.clear();
    for (const host of [...this.stoppedHosts]) await this.hosts.start(host);
    this.stoppedHosts.clear();
    await this.clearLinkRules();
    await this.clearShaping();
  }

  async collectLogs(dir: string): Promise<string[]> {
    const written: string[] = [];
    const departed = this.membership.departedLogs;
    for (const node of this.nodes) {
      const path = join(dir, `${node}.log`);
      const earlier = departed.has(node) ? `${departed.get(node)}\n${relaunchSeparator}\n` : '';
      await writeFile(path, earlier + (await readPodLogs(this.api, node)));
      written.push(path);
    }
    for (const [node, log] of departed) {
      if (this.nodes.includes(node)) continue;
      const path = join(dir, `${node}.log`);
      await writeFile(path, log);
      written.push(path);
    }
    return written;
  }

  /** Stops reaching the pods from this process and leaves the StatefulSet running. */
  async detach(): Promise<void> {
    this.tornDown = true;
    for (const forward of this.forwards.values()) await forward.close();
  }

  async teardown(): Promise<void> {
    if (this.tornDown) return;
    this.tornDown = true;
    const problems: string[] = [];
    await this.healAll().catch((error: Error) => problems.push(`healing: ${error.message}`));
    for (const forward of this.forwards.values()) await forward.close();
    await this.api.deleteStatefulSetAndClaims().catch((error: Error) => problems.push(error.message));
    if (problems.length > 0) throw new Error(`kind teardown incomplete: ${problems.join('; ')}`);
  }

  private async clearLinkRules(): Promise<void> {
    for (const host of this.touchedHosts) await this.hosts.exec(host, flushChainCommand());
  }

  private async clearShaping(): Promise<void> {
    for (const host of this.touchedHosts) await this.hosts.exec(host, clearShapingCommand('eth0'));
  }

  private async hostOf(node: string): Promise<string> {
    const pod = await this.api.readPod(node);
    if (!pod?.nodeName) throw new Error(`pod ${node} is not scheduled on a node; cannot find the kind node hosting it`);
    return pod.nodeName;
  }

  private async podsByName(): Promise<Map<string, PodSummary>> {
    return new Map((await this.api.listPods()).map((pod) => [pod.name, pod]));
  }
}

function requirePlaced(pods: Map<string, PodSummary>, name: string): PodSummary & { nodeName: string; podIp: string } {
  const pod = pods.get(name);
  if (!pod?.nodeName || !pod.podIp) {
    throw new Error(`pod ${name} has no node or IP yet (phase ${pod?.phase ?? 'absent'}); cannot change its links`);
  }
  return pod as PodSummary & { nodeName: string; podIp: string };
}
