// A 3-member etcd cluster on loopback for comparison runs: the local platform's process cluster
// with the etcd system, plus the benchmark's heartbeat and election timeout.

import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ProcessCluster } from '../harness/platforms/local/process-cluster.js';
import { createEtcdSystem } from '../harness/systems/etcd/etcd-system.js';

export interface EtcdClusterOptions {
  memberCount: number;
  heartbeatIntervalMs: number;
  electionTimeoutMs: number;
}

/** The path of `etcd` on PATH, or null. */
export function findEtcd(): string | null {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(directory, 'etcd');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Member -> client URL, e.g. http://127.0.0.1:40123. */
export function etcdClientUrls(cluster: ProcessCluster): Record<string, string> {
  return Object.fromEntries(Object.entries(cluster.clientAddresses).map(([member, address]) => [member, `http://${address}`]));
}

export async function startEtcdCluster(etcdPath: string, options: EtcdClusterOptions): Promise<ProcessCluster> {
  const cluster = await ProcessCluster.create({
    system: createEtcdSystem('linearizable', etcdPath),
    nodeCount: options.memberCount,
    namePrefix: 'etcd',
    workDirPrefix: 'etcd-cluster-',
    adjustLaunch: (launch) => ({
      ...launch,
      arguments: [...launch.arguments, `--heartbeat-interval=${options.heartbeatIntervalMs}`, `--election-timeout=${options.electionTimeoutMs}`],
    }),
  });
  try {
    await cluster.startAll();
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
