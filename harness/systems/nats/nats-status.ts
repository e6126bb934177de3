// A NATS node's status, from the JetStream report (JSZ) the server itself gives to the system
// account on its client port: who leads the bucket's stream, how far this server's copy of the
// stream goes, and the server id, which NATS draws anew at every start. Before the bucket
// exists, the JetStream metadata leader stands in for the stream leader. NATS 2.9 does not
// expose a stream's Raft term: the term here is 0, and the probe numbers leaderships itself
// (leader-epochs.ts).

import type { StatusFields } from '../../../raft/protocol/registry.js';
import type { SystemNodeStatus } from '../system-node-status.js';
import { natsBucketStream } from './nats-bucket.js';

interface StreamDetail {
  name?: string;
  cluster?: { leader?: string; replicas?: Array<{ name?: string }> };
  state?: { last_seq?: number };
}

export interface JetStreamReport {
  server_id?: string;
  meta_cluster?: { leader?: string };
  account_details?: Array<{ stream_detail?: StreamDetail[] }>;
}

function bucketStream(report: JetStreamReport): StreamDetail | undefined {
  for (const account of report.account_details ?? []) {
    const stream = account.stream_detail?.find((detail) => detail.name === natsBucketStream);
    if (stream !== undefined) return stream;
  }
  return undefined;
}

/** Pure: the servers holding the bucket's stream (its leader and replicas), as this report names them; undefined when it hosts none. */
export function bucketReplicas(report: JetStreamReport): string[] | undefined {
  const cluster = bucketStream(report)?.cluster;
  if (cluster === undefined) return undefined;
  const names = [cluster.leader, ...(cluster.replicas ?? []).map((replica) => replica.name)];
  return names.filter((name): name is string => typeof name === 'string' && name !== '');
}

/**
 * Pure: the JSZ report of the server named `node` to its status. `knownReplicas`: the servers
 * another report named as holding the stream; a server outside them whose report has no stream
 * holds no replica (a 3-replica bucket on 5 servers leaves two without), and is marked so.
 */
export function natsStatusFromReport(node: string, report: JetStreamReport, knownReplicas?: readonly string[]): SystemNodeStatus & { holdsNoReplica: boolean } {
  const stream = bucketStream(report);
  const leader = (stream === undefined ? report.meta_cluster?.leader : stream.cluster?.leader) || null;
  const lastSequence = stream?.state?.last_seq ?? 0;
  const status: StatusFields = {
    node,
    role: leader === node ? 'leader' : leader === null ? 'candidate' : 'follower',
    term: 0,
    leader,
    commitIndex: lastSequence,
    lastApplied: lastSequence,
    lastLogIndex: lastSequence,
  };
  const holdsNoReplica = stream === undefined && knownReplicas !== undefined && knownReplicas.length > 0 && !knownReplicas.includes(node);
  return { status, instance: report.server_id ?? 'unknown', holdsNoReplica };
}
