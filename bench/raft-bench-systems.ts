// The two systems the benchmark drives the same way: the reference Raft server through
// RaftClient, and etcd through its JSON gateway.

import { RaftClient } from '../raft/client/raft-client.js';
import { EtcdHttpClient } from './etcd-http-client.js';
import { startEtcdCluster } from './etcd-local-cluster.js';
import type { FailoverSystem } from './raft-failover.js';
import { startLocalRaftCluster } from './raft-local-cluster.js';
import { waitForLeader } from './raft-wait-for-leader.js';

export interface BenchSystem extends FailoverSystem {
  readonly name: string;
  get(key: string): Promise<boolean>;
  /** Where node logs are, for error messages. */
  readonly workDir: string;
  stop(): Promise<void>;
}

const leaderTimeoutMs = 30_000;
const pollMs = 50;

export interface RaftSystemOptions {
  maxInFlight: number;
  /** Extra `RAFT_*` (or NODE_OPTIONS) variables for every node. */
  env?: Record<string, string>;
  /** Stop nodes with SIGTERM and wait this long (profiles are written on a graceful exit). */
  stopGraceMs?: number;
}

export async function startRaftSystem(options: RaftSystemOptions): Promise<BenchSystem> {
  const cluster = await startLocalRaftCluster({ nodeCount: 3, ...(options.env === undefined ? {} : { env: options.env }) });
  const client = new RaftClient({ addresses: { ...cluster.addresses }, requestTimeoutMs: 5000, operationDeadlineMs: 10_000 });
  const probe = new RaftClient({ addresses: { ...cluster.addresses }, requestTimeoutMs: 2000 });
  return {
    name: 'raft',
    workDir: cluster.workDir,
    put: async (key, value) => (await client.put(key, value)).ok,
    get: async (key) => (await client.get(key)).ok,
    leader: () => waitForLeader(probe, leaderTimeoutMs),
    kill: (node) => cluster.kill(node),
    restart: async (node) => {
      cluster.start(node);
      await pollUntil(async () => {
        const answer = await probe.status(node);
        return answer.ok && answer.status.leader !== null;
      }, `raft node ${node} did not rejoin (answer status naming a leader) within ${leaderTimeoutMs} ms; log: ${cluster.workDir}/${node}/node.log`);
    },
    stop: async () => {
      client.close();
      probe.close();
      await cluster.stop(options.stopGraceMs ?? 0);
    },
  };
}

export interface EtcdSystemOptions {
  etcdPath: string;
  maxInFlight: number;
  heartbeatIntervalMs: number;
  electionTimeoutMs: number;
}

export async function startEtcdSystem(options: EtcdSystemOptions): Promise<BenchSystem> {
  const cluster = await startEtcdCluster(options.etcdPath, { memberCount: 3, heartbeatIntervalMs: options.heartbeatIntervalMs, electionTimeoutMs: options.electionTimeoutMs });
  const client = new EtcdHttpClient({ clientUrls: cluster.clientUrls, maxSockets: options.maxInFlight, requestTimeoutMs: 5000 });
  const probe = new EtcdHttpClient({ clientUrls: cluster.clientUrls, maxSockets: 4, requestTimeoutMs: 1000 });
  const leader = async () => {
    let found: string | null = null;
    await pollUntil(async () => (found = await probe.leader()) !== null, `etcd elected no leader within ${leaderTimeoutMs} ms; logs: ${cluster.workDir}`);
    client.prefer(found!);
    return found!;
  };
  return {
    name: 'etcd',
    workDir: cluster.workDir,
    put: (key, value) => client.put(key, value),
    get: (key) => client.get(key),
    leader,
    kill: (member) => cluster.kill(member),
    restart: async (member) => {
      cluster.start(member);
      await pollUntil(async () => (await probe.leader([member])) !== null || (await memberKnowsLeader(probe, member)), `etcd member ${member} did not rejoin within ${leaderTimeoutMs} ms; log: ${cluster.workDir}/${member}.log`);
    },
    stop: async () => {
      client.close();
      probe.close();
      await cluster.stop();
    },
  };
}

async function memberKnowsLeader(probe: EtcdHttpClient, member: string): Promise<boolean> {
  return (await probe.memberStatus(member)) !== null;
}

async function pollUntil(done: () => Promise<boolean>, failure: string): Promise<void> {
  const deadline = performance.now() + leaderTimeoutMs;
  while (performance.now() < deadline) {
    if (await done().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(failure);
}
