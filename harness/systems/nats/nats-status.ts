// A NATS node's status, from its monitoring port's /jsz (JetStream as this server sees it):
// who leads the bucket's stream, how far this server's copy of the stream goes, and the
// server id, which NATS draws anew at every start. Before the bucket exists, the JetStream
// metadata leader stands in for the stream leader. NATS 2.9 does not expose a stream's Raft
// term: the term is 0, so "two leaders" can still be seen, but not ordered.

import type { StatusFields } from '../../../raft/protocol/registry.js';
import type { SystemNodeStatus } from '../system-node-status.js';
import { natsBucketStream } from './nats-bucket.js';

interface StreamDetail {
  name?: string;
  cluster?: { leader?: string };
  state?: { last_seq?: number };
}

interface JetStreamReport {
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

/** Pure: the /jsz report of the server named `node` to its status. */
export function natsStatusFromReport(node: string, report: JetStreamReport): SystemNodeStatus {
  const stream = bucketStream(report);
  const leader = (stream === undefined ? report.meta_cluster?.leader : stream.cluster?.leader) || null;
  const lastSequence = stream?.state?.last_seq ?? 0;
  return {
    status: {
      node,
      role: leader === node ? 'leader' : leader === null ? 'candidate' : 'follower',
      term: 0,
      leader,
      commitIndex: lastSequence,
      lastApplied: lastSequence,
      lastLogIndex: lastSequence,
    },
    instance: report.server_id ?? 'unknown',
  };
}

/** Asks the node's monitoring port; throws with the address and the cause when it cannot. */
export async function natsNodeStatus(node: string, monitorAddress: string, timeoutMs: number): Promise<SystemNodeStatus> {
  const url = `http://${monitorAddress}/jsz?accounts=true&streams=true`;
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`nats status of ${node}: ${url} answered HTTP ${response.status}`);
  return natsStatusFromReport(node, (await response.json()) as JetStreamReport);
}
