// A cluster of reference Raft nodes as local child processes, for the benchmark and the client's
// integration test: the local platform's process cluster with the reference server, started
// until every node answers `status`.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NodeConnection } from '../raft/client/node-connection.js';
import { ProcessCluster } from '../harness/platforms/local/process-cluster.js';
import { valueWithin } from '../harness/shared/poll-until.js';
import { raftSystem } from '../harness/systems/raft/spec-server-system.js';
import type { NodeLaunch } from '../harness/systems/system.js';

export const serverEntry = fileURLToPath(new URL('../raft/server/main.js', import.meta.url));

export interface LocalRaftClusterOptions {
  nodeCount: number;
  /** Extra `RAFT_*` variables for every node. */
  env?: Record<string, string>;
  /** Extra `node` arguments for every node, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeArguments?: string[];
}

const startAttempts = 3;
const serveTimeoutMs = 30_000;

/**
 * Starts the nodes and waits until each answers `status`. A node that exits during start (e.g. a
 * port taken by another process between the OS handing it out and the node binding it) makes
 * the whole cluster start again on fresh ports, at most 3 times.
 */
export async function startLocalRaftCluster(options: LocalRaftClusterOptions): Promise<ProcessCluster> {
  if (!existsSync(serverEntry)) throw new Error(`${serverEntry} is missing: the reference server is not built; run \`npx tsc -p tsconfig.json\` first`);
  for (let attempt = 1; ; attempt++) {
    const cluster = await ProcessCluster.create({
      system: raftSystem,
      nodeCount: options.nodeCount,
      serverEnv: options.env ?? {},
      adjustLaunch: (launch) => withNodeArguments(launch, options.nodeArguments ?? []),
    });
    try {
      await cluster.startAll();
      await Promise.all(cluster.nodes.map((node) => waitUntilServing(cluster, node)));
      return cluster;
    } catch (error) {
      await cluster.stop();
      if (attempt === startAttempts) throw new Error(`local cluster did not start after ${startAttempts} attempts: ${(error as Error).message}`);
    }
  }
}

/** The reference server run with extra `node` flags before its script. */
function withNodeArguments(launch: NodeLaunch, nodeArguments: string[]): NodeLaunch {
  return nodeArguments.length === 0 ? launch : { ...launch, arguments: [...nodeArguments, ...launch.arguments] };
}

async function waitUntilServing(cluster: ProcessCluster, node: string): Promise<void> {
  await valueWithin(`${node} to answer status (last log lines: see ${cluster.logPath(node)})`, serveTimeoutMs, 50, async () => {
    const exits = cluster.unexpectedExits();
    if (exits.length > 0) throw new Error(exits.join('\n'));
    return (await answersStatus(cluster.clientAddresses[node]!)) ? true : undefined;
  });
}

async function answersStatus(address: string): Promise<boolean> {
  const connection = new NodeConnection({ address, requestTimeoutMs: 1000 });
  const reply = await connection.request({ op: 'status' });
  connection.close();
  return reply.kind === 'response' && reply.response.ok;
}
