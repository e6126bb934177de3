// What every node answered to `status` at one moment. Taken by `takeStatusSnapshot`; read by the
// pure functions that find the leader, check health and resolve fault targets.

import type { StatusFields } from '../../raft/protocol/registry.js';

export type NodeStatusAnswer =
  | {
      node: string;
      answered: true;
      status: StatusFields;
      /**
       * The node holds no copy of the data the workload uses (a system that places a group's
       * replicas on some nodes only, as NATS places a stream's): it cannot catch up, and health
       * does not ask it to. Absent: it holds a copy.
       */
      holdsNoReplica?: boolean;
    }
  | { node: string; answered: false; error: string };

export interface StatusSnapshot {
  /** One answer per node of the cluster, in the cluster's node order. */
  answers: NodeStatusAnswer[];
  /** Milliseconds on the run's monotonic clock when the snapshot was complete. */
  takenAtMs: number;
}

/** Asks one node for its status within the probe's own short timeout; never throws: failures become `answered: false`. */
export type StatusProbe = (node: string) => Promise<NodeStatusAnswer>;

export function answeredStatuses(snapshot: StatusSnapshot): StatusFields[] {
  return snapshot.answers.flatMap((answer) => (answer.answered ? [answer.status] : []));
}

/** A one-line description for progress messages: `raft-0 leader t3 c12/a12, raft-1 down (timeout)`. */
export function describeSnapshot(snapshot: StatusSnapshot): string {
  return snapshot.answers
    .map((answer) =>
      answer.answered
        ? `${answer.node} ${answer.status.role} t${answer.status.term} c${answer.status.commitIndex}/a${answer.status.lastApplied}`
        : `${answer.node} down (${answer.error})`,
    )
    .join(', ');
}
