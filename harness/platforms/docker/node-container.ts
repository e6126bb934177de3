// One node's container: created on the run's network with its data volume, started, and
// read back from inspect (process id for its network namespace, address, published port).

import type Docker from 'dockerode';
import pRetry from 'p-retry';
import { dockerLabels } from './docker-labels.js';
import { containerName } from './docker-names.js';
import { clientPort, dataDirectory, nodeEnvironment, peerPort, type NodeMembership } from './node-environment.js';
import type { ContainerLaunch } from './system-container-launch.js';

export interface NodeContainerSpec {
  runId: string;
  node: string;
  /** Every node with an address in RAFT_PEERS: the launch nodes and the spares. */
  nodes: readonly string[];
  /** RAFT_MEMBERS and RAFT_JOIN (capability membership); default: neither. */
  membership?: NodeMembership;
  image: string;
  serverEnv: Record<string, string>;
  network: string;
  volume: string;
  /** Host port to publish the client port on; undefined: one the daemon picks. */
  hostPort?: number;
  stopTimeoutSeconds: number;
  /** The `raft-chaos.owner` label: the harness process that started the run. */
  owner?: string;
  /** A third-party system's command line and environment; undefined: the server image's SPEC variables. */
  launch?: ContainerLaunch;
}

/** What inspect says about a running node container. */
export interface RunningContainer {
  containerId: string;
  /** Host process id of the server, for entering its network namespace. */
  pid: number;
  /** The container's address on the run's network. */
  ipAddress: string;
  hostPort: number;
  /** When this start of the container began (inspect's State.StartedAt): new on every start. */
  startedAt: string;
}

export async function createNodeContainer(docker: Docker, spec: NodeContainerSpec): Promise<Docker.Container> {
  const clientPortKey = `${clientPort}/tcp`;
  return docker.createContainer({
    name: containerName(spec.runId, spec.node),
    Image: spec.image,
    Hostname: spec.node,
    Env: spec.launch?.environment ?? nodeEnvironment(spec.node, spec.nodes, spec.serverEnv, spec.membership),
    ...(spec.launch !== undefined ? { Cmd: spec.launch.command } : {}),
    Labels: dockerLabels(spec.runId, spec.node, spec.owner),
    ExposedPorts: { [clientPortKey]: {}, [`${peerPort}/tcp`]: {} },
    StopTimeout: spec.stopTimeoutSeconds,
    HostConfig: {
      NetworkMode: spec.network,
      PortBindings: { [clientPortKey]: [{ HostIp: '127.0.0.1', HostPort: spec.hostPort === undefined ? '' : String(spec.hostPort) }] },
      Mounts: [{ Type: 'volume', Source: spec.volume, Target: dataDirectory }],
      RestartPolicy: { Name: 'no' },
    },
    NetworkingConfig: { EndpointsConfig: { [spec.network]: { Aliases: [spec.node] } } },
  });
}

/** Reads back a started container; throws when it is not running (e.g. it exited at once). */
export async function inspectRunning(container: Docker.Container, network: string): Promise<RunningContainer> {
  const info = await container.inspect();
  if (!info.State.Running || info.State.Pid <= 0) {
    throw new Error(
      `container ${info.Name.replace(/^\//, '')} is not running (status ${info.State.Status}, exit code ${info.State.ExitCode}); ` +
        `see its output with \`docker logs ${info.Id.slice(0, 12)}\``,
    );
  }
  const ipAddress = info.NetworkSettings.Networks[network]?.IPAddress ?? '';
  const bindings = info.NetworkSettings.Ports[`${clientPort}/tcp`] ?? [];
  const binding = bindings.find((entry) => entry.HostIp === '127.0.0.1') ?? bindings[0];
  if (ipAddress === '' || binding === undefined) {
    throw new Error(`container ${info.Name} has no address on network ${network} or no published client port; inspect it with \`docker inspect ${info.Id.slice(0, 12)}\``);
  }
  return { containerId: info.Id, pid: info.State.Pid, ipAddress, hostPort: Number(binding.HostPort), startedAt: info.State.StartedAt };
}

/** A node's instance: the container and the time of its current start; it changes on replacement and on every stop/start, like a pid. */
export function nodeInstance(running: Pick<RunningContainer, 'containerId' | 'startedAt'>): string {
  return `${running.containerId.slice(0, 12)}@${running.startedAt}`;
}

/** The container id in a node's instance, for `docker inspect`. */
export function instanceContainerId(instance: string): string {
  return instance.split('@')[0]!;
}

/** Removes a container whatever its state; a container that is already gone is not an error. */
export async function removeContainer(container: Docker.Container): Promise<void> {
  try {
    await container.remove({ force: true, v: false });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== 404 && status !== 409) throw error;
    if (status === 409) await waitRemoved(container);
  }
}

/** A 409 means removal is already in progress; wait (bounded, about 10 s) until the container is gone. */
async function waitRemoved(container: Docker.Container): Promise<void> {
  const stillPresent = new Error(`container ${container.id} is still present 10 s after its removal began; \`docker rm -f ${container.id}\` removes it`);
  await pRetry(
    async () => {
      const present = await container.inspect().then(
        () => true,
        () => false,
      );
      if (present) throw stillPresent;
    },
    { retries: 40, minTimeout: 100, factor: 1.2, maxTimeout: 300 },
  );
}
