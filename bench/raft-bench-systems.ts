// The systems the benchmark drives the same way: the reference Raft server through RaftClient,
// and one etcd cluster through its JSON gateway and through its native gRPC API.

import type { OperationResult } from '../raft/client/operation-result.js';
import { RaftClient } from '../raft/client/raft-client.js';
import { EtcdGrpcClient } from './etcd-grpc-client.js';
import { EtcdHttpClient } from './etcd-http-client.js';
import { etcdClientUrls, startEtcdCluster } from './etcd-local-cluster.js';
import type { FailoverSystem } from './raft-failover.js';
import type { LoadOutcome } from './raft-load.js';
import { startLocalRaftCluster } from './raft-local-cluster.js';
import { waitForLeader } from './raft-wait-for-leader.js';
import { valueWithin } from '../harness/shared/poll-until.js';

export interface BenchSystem extends FailoverSystem {
  readonly name: string;
  get(key: string): Promise<LoadOutcome>;
  /** Where node logs are, for error messages. */
  readonly workDir: string;
  /** Nodes that exited on their own: a measurement with one is not a 3-node measurement. */
  unexpectedExits(): string[];
  /** Whether failover is measured through this system: once per cluster, whichever API. */
  readonly measuresFailover: boolean;
}

/** The systems measured on one running cluster (etcd: one per client API). */
export interface BenchCluster {
  readonly systems: BenchSystem[];
  /** Closes the clients and stops every node; `keepFiles` leaves data dirs and logs in `workDir` for a look after a failure. */
  stop(keepFiles: boolean): Promise<void>;
}

const leaderTimeoutMs = 30_000;
const pollMs = 50;

export interface RaftSystemOptions {
  maxInFlight: number;
  /** Extra `node` arguments for every node (profiling). */
  nodeArguments?: string[];
  /** Stop nodes with SIGTERM and wait this long (profiles are written on a graceful exit). */
  stopGraceMs?: number;
}

export async function startRaftCluster(options: RaftSystemOptions): Promise<BenchCluster> {
  const cluster = await startLocalRaftCluster({ nodeCount: 3, nodeArguments: options.nodeArguments ?? [] });
  const client = new RaftClient({ addresses: { ...cluster.clientAddresses }, requestTimeoutMs: 5000, operationDeadlineMs: 10_000 });
  const probe = new RaftClient({ addresses: { ...cluster.clientAddresses }, requestTimeoutMs: 2000 });
  const raft: BenchSystem = {
    name: 'raft',
    measuresFailover: true,
    workDir: cluster.workDir,
    unexpectedExits: () => cluster.unexpectedExits(),
    put: async (key, value) => outcomeOf(await client.put(key, value)),
    get: async (key) => outcomeOf(await client.get(key)),
    leader: () => waitForLeader(probe, leaderTimeoutMs),
    kill: (node) => cluster.kill(node),
    restart: async (node) => {
      await cluster.start(node);
      await pollUntil(async () => {
        if (cluster.unexpectedExits().length > 0) throw new Error(cluster.unexpectedExits().join('\n'));
        const answer = await probe.status(node);
        return answer.ok && answer.status.leader !== null;
      }, `raft node ${node} to rejoin (answer status naming a leader); log: ${cluster.logPath(node)}`);
    },
  };
  return {
    systems: [raft],
    stop: async (keepFiles) => {
      client.close();
      probe.close();
      await cluster.stop({ graceMs: options.stopGraceMs ?? 0, keepWorkDir: keepFiles });
    },
  };
}

export interface EtcdSystemOptions {
  etcdPath: string;
  maxInFlight: number;
  heartbeatIntervalMs: number;
  electionTimeoutMs: number;
}

/**
 * One etcd cluster measured through two client APIs: `etcd`, its JSON gateway over keep-alive
 * HTTP, and `etcd-grpc`, its native gRPC API (etcd3 client, one HTTP/2 connection to the leader).
 */
export async function startEtcdSystems(options: EtcdSystemOptions): Promise<BenchCluster> {
  const cluster = await startEtcdCluster(options.etcdPath, { memberCount: 3, heartbeatIntervalMs: options.heartbeatIntervalMs, electionTimeoutMs: options.electionTimeoutMs });
  const clientUrls = etcdClientUrls(cluster);
  const gateway = new EtcdHttpClient({ clientUrls, maxSockets: Math.max(1024, options.maxInFlight), requestTimeoutMs: 5000 });
  const grpc = new EtcdGrpcClient(5000);
  const probe = new EtcdHttpClient({ clientUrls, maxSockets: 4, requestTimeoutMs: 1000 });
  const findLeader = async () => {
    let found: string | null = null;
    await pollUntil(async () => (found = await probe.leader()) !== null, `etcd to elect a leader; logs: ${cluster.workDir}`);
    return found!;
  };
  const members = {
    workDir: cluster.workDir,
    unexpectedExits: () => cluster.unexpectedExits(),
    kill: (member: string) => cluster.kill(member),
    restart: async (member: string) => {
      await cluster.start(member);
      await pollUntil(async () => {
        if (cluster.unexpectedExits().length > 0) throw new Error(cluster.unexpectedExits().join('\n'));
        return (await probe.memberStatus(member))?.leader != null;
      }, `etcd member ${member} to rejoin; log: ${cluster.logPath(member)}`);
    },
  };
  /** The cluster through one client, which `useLeader` points at the leader it finds. */
  const through = (name: string, client: EtcdGrpcClient | EtcdHttpClient, measuresFailover: boolean, useLeader: (leader: string) => void): BenchSystem => ({
    ...members,
    name,
    measuresFailover,
    put: (key, value) => client.put(key, value),
    get: (key) => client.get(key),
    leader: async () => {
      const leader = await findLeader();
      useLeader(leader);
      return leader;
    },
  });
  // The gateway client moves between members, so it finds the next leader after a kill: failover is measured through it.
  const throughGateway = through('etcd', gateway, true, (leader) => gateway.prefer(leader));
  const throughGrpc = through('etcd-grpc', grpc, false, (leader) => grpc.connect(clientUrls[leader]!));
  return {
    systems: [throughGateway, throughGrpc],
    stop: async (keepFiles) => {
      gateway.close();
      grpc.close();
      probe.close();
      await cluster.stop({ keepWorkDir: keepFiles });
    },
  };
}

function outcomeOf(result: OperationResult): LoadOutcome {
  return result.ok ? true : result.error;
}

/** Polls `done` every 50 ms until it holds, for at most the leader timeout. */
async function pollUntil(done: () => Promise<boolean>, what: string): Promise<void> {
  await valueWithin(what, leaderTimeoutMs, pollMs, async () => ((await done()) ? true : undefined));
}
