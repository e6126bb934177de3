// Test helper: a 3-node cluster of a third-party system started straight from its launch
// recipe (no platform), each node in its own process group on loopback ports from the OS,
// logging to <dir>/<node>.log. `teardown` kills every group and removes the directory.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePorts, loopbackHost } from '../../harness/shared/free-ports.js';
import { acceptsConnections } from '../../harness/platforms/local/wait-for-listening.js';
import { killGroup, signalGroup } from '../../harness/platforms/local/process-group.js';
import type { NodeEndpoint, NodeLaunch, NodeLaunchInput } from '../../harness/systems/node-launch.js';
import { setTimeout as delay } from 'node:timers/promises';

export interface RecipeClusterOptions {
  launch: (input: NodeLaunchInput) => NodeLaunch;
  portNames: readonly string[];
  nodes?: string[];
  /** Deadline for every node to accept connections on its client port. */
  listenTimeoutMs?: number;
}

export interface RecipeCluster {
  nodes: string[];
  endpoints: Record<string, NodeEndpoint>;
  /** Client address `host:port` by node. */
  clientAddresses: Record<string, string>;
  pause(node: string): void;
  resume(node: string): void;
  log(node: string): string;
  teardown(): Promise<void>;
}

async function allocateEndpoints(nodes: string[], portNames: readonly string[]): Promise<Record<string, NodeEndpoint>> {
  const ports = await freePorts(nodes.length * portNames.length);
  return Object.fromEntries(
    nodes.map((node, index) => [
      node,
      { host: loopbackHost, ports: Object.fromEntries(portNames.map((name, offset) => [name, ports[index * portNames.length + offset]!])) },
    ]),
  );
}

function startNode(launch: NodeLaunch, logPath: string): number {
  for (const file of launch.files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.content);
  }
  const log = openSync(logPath, 'a');
  try {
    const child = spawn(launch.command, launch.arguments, {
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, ...launch.environment },
    });
    if (child.pid === undefined) throw new Error(`could not start ${launch.command}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(log);
  }
}

async function waitForClientPort(port: number, node: string, logPath: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await acceptsConnections(port))) {
    if (Date.now() >= deadline) {
      throw new Error(`${node} did not listen on ${port} within ${timeoutMs} ms; its log: ${logPath}\n${readFileSync(logPath, 'utf8').slice(-2000)}`);
    }
    await delay(100);
  }
}

export async function startRecipeCluster(options: RecipeClusterOptions): Promise<RecipeCluster> {
  const nodes = options.nodes ?? ['n0', 'n1', 'n2'];
  const dir = mkdtempSync(join(tmpdir(), 'raft-chaos-recipe-'));
  const endpoints = await allocateEndpoints(nodes, options.portNames);
  const groups = new Map<string, number>();
  const logPath = (node: string) => join(dir, `${node}.log`);
  const teardown = async () => {
    for (const group of groups.values()) {
      signalGroup(group, 'SIGCONT');
      await killGroup(group, 10_000).catch(() => undefined);
    }
    groups.clear();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const node of nodes) {
      const input = { node, nodes, dataDir: join(dir, 'data', node), self: endpoints[node]!, peers: endpoints };
      groups.set(node, startNode(options.launch(input), logPath(node)));
    }
    for (const node of nodes) {
      await waitForClientPort(endpoints[node]!.ports.client!, node, logPath(node), options.listenTimeoutMs ?? 30_000);
    }
  } catch (error) {
    await teardown();
    throw error;
  }
  return {
    nodes,
    endpoints,
    clientAddresses: Object.fromEntries(nodes.map((node) => [node, `${loopbackHost}:${endpoints[node]!.ports.client}`])),
    pause: (node) => void signalGroup(groups.get(node)!, 'SIGSTOP'),
    resume: (node) => void signalGroup(groups.get(node)!, 'SIGCONT'),
    log: (node) => readFileSync(logPath(node), 'utf8'),
    teardown,
  };
}
