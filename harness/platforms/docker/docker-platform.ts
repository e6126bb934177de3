// The docker platform: `--platform docker`. One user-defined bridge network per run, one
// container per node with a named data volume, client ports published on 127.0.0.1.

import type Docker from 'dockerode';
import type { Capability, ClusterSpec, Platform, StartedCluster } from '../../platform/platform.js';
import { buildServerImage } from '../../server-image/build-server-image.js';
import { connectDocker, dockerAnswers, dockerEndpoint } from '../../shared/docker-client.js';
import { buildSystemImage } from './build-system-image.js';
import { dockerLabels } from './docker-labels.js';
import { networkName, volumeName } from './docker-names.js';
import { DockerStartedCluster } from './docker-started-cluster.js';
import { currentOwner } from './harness-owner.js';
import { linkFaultsUnavailableReason } from './link-fault-support.js';
import { removeLabelled } from './remove-labelled.js';
import { spareNodesProblem } from './spare-nodes-problem.js';
import { sweepAbandonedRuns } from './sweep-abandoned-runs.js';

export interface DockerPlatformOptions {
  docker?: Docker;
  /** An image to run instead of building the reference server's (`harness image build`). */
  image?: string;
  /** The server entry to bundle when building the image; default dist/raft/server/main.js. */
  serverEntry?: string;
  /** Seconds `stop` waits after SIGTERM before SIGKILL. */
  stopTimeoutSeconds?: number;
  /** sweep(): also remove runs whose harness process is still alive; default false. */
  sweepAll?: boolean;
}

/** Every capability, less cutLinks and shapeLinks where this host cannot enforce them. */
export function dockerCapabilities(): ReadonlySet<Capability> {
  const capabilities = new Set<Capability>(['kill', 'stopStart', 'pause', 'readLogs', 'membership']);
  if (linkFaultsUnavailableReason() === undefined) {
    capabilities.add('cutLinks');
    capabilities.add('shapeLinks');
  }
  return capabilities;
}

export function createDockerPlatform(options: DockerPlatformOptions = {}): Platform {
  const docker = options.docker ?? connectDocker();
  return {
    name: 'docker',
    capabilities: dockerCapabilities(),
    unavailableReasons: {
      powerLoss: 'the docker platform keeps data in Docker volumes and cannot cut a node\'s power; run power-loss scenarios with --platform local, as root',
    },
    start: (spec) => startCluster(docker, options, spec),
    sweep: () => sweep(docker, options.sweepAll ?? false),
  };
}

async function startCluster(docker: Docker, options: DockerPlatformOptions, spec: ClusterSpec): Promise<StartedCluster> {
  const progress = spec.progress ?? (() => {});
  if (spec.serverCommand !== undefined) {
    throw new Error(`the docker platform runs server images, not commands: serverCommand "${spec.serverCommand}" needs --platform local; on docker pass an image instead`);
  }
  if (!(await dockerAnswers(docker))) {
    throw new Error(`no Docker daemon answers at ${dockerEndpoint()}: start dockerd (or set DOCKER_HOST), then run again`);
  }
  const system = spec.system !== undefined && spec.system.name !== 'raft' ? spec.system : undefined;
  const spareProblem = spareNodesProblem(spec, system?.name);
  if (spareProblem !== undefined) throw new Error(`docker platform: ${spareProblem}`);
  const image = system !== undefined ? (await buildSystemImage(system, { docker, progress })).tag : (options.image ?? (await buildServerImage({ docker, progress, entry: options.serverEntry })).tag);
  const startedAtMs = Date.now();
  const owner = await currentOwner();
  let cluster: DockerStartedCluster | undefined;
  try {
    const network = await createNetwork(docker, spec.runId, owner);
    progress(`cluster: network ${network.name} (gateway ${network.gateway})`);
    const volumes = await createVolumes(docker, spec, owner);
    cluster = new DockerStartedCluster({ docker, spec, image, network, volumes, stopTimeoutSeconds: options.stopTimeoutSeconds ?? 10, owner });
    await cluster.launchAll();
    progress(`cluster: ${spec.nodes.length} containers running after ${Date.now() - startedAtMs} ms`);
    return cluster;
  } catch (error) {
    await (cluster?.teardown() ?? removeLabelled(docker, spec.runId)).catch(() => undefined);
    throw new Error(`docker platform could not start run ${spec.runId}: ${(error as Error).message}`);
  }
}

async function sweep(docker: Docker, all: boolean): Promise<string[]> {
  if (!(await dockerAnswers(docker))) {
    throw new Error(`no Docker daemon answers at ${dockerEndpoint()}: nothing can be swept; start dockerd (or set DOCKER_HOST), then run again`);
  }
  return sweepAbandonedRuns(docker, { all });
}

async function createNetwork(docker: Docker, runId: string, owner: string): Promise<{ name: string; gateway: string }> {
  const name = networkName(runId);
  const network = await docker
    .createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: dockerLabels(runId, undefined, owner) })
    .catch((error: { json?: { message?: string }; message: string }) => {
      const reason = error.json?.message ?? error.message;
      throw new Error(`creating network ${name} failed: ${reason}; if Docker ran out of address pools, \`harness clean\` removes networks earlier runs left behind`);
    });
  const info = await network.inspect();
  const gateway = (info.IPAM?.Config ?? []).map((entry: { Gateway?: string }) => entry.Gateway).find((address: string | undefined) => address);
  if (gateway === undefined) throw new Error(`network ${name} has no IPv4 gateway in its IPAM config: ${JSON.stringify(info.IPAM)}`);
  return { name, gateway };
}

async function createVolumes(docker: Docker, spec: ClusterSpec, owner: string): Promise<Map<string, string>> {
  const volumes = new Map<string, string>();
  for (const node of spec.nodes) {
    const name = volumeName(spec.runId, node);
    await docker.createVolume({ Name: name, Labels: dockerLabels(spec.runId, node, owner) });
    volumes.set(node, name);
  }
  return volumes;
}
