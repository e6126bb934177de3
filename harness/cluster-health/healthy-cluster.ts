// Pure: whether a status snapshot shows a healthy cluster: one agreed leader, every node
// answering, and every node caught up: its commitIndex and lastApplied have reached the leader's
// commitIndex (as of this snapshot, or as of an earlier one when the workload keeps writing). A
// node that holds no replica of the data (NATS places a stream on some servers only) is exempt.

import { agreedLeader } from './agreed-leader.js';
import type { StatusSnapshot } from './status-snapshot.js';

export type HealthFinding =
  | { healthy: true; leader: string; term: number; commitIndex: number }
  | { healthy: false; reason: string; leader?: string; commitIndex?: number };

/**
 * @param referenceCommitIndex the leader's commitIndex from an earlier snapshot: nodes must have
 *   reached it. Without it, they must have reached the leader's commitIndex in this snapshot.
 */
export function healthyCluster(snapshot: StatusSnapshot, referenceCommitIndex?: number): HealthFinding {
  const silent = snapshot.answers.flatMap((answer) => (answer.answered ? [] : [`${answer.node} (${answer.error})`]));
  if (silent.length > 0) return { healthy: false, reason: `not answering status: ${silent.join(', ')}` };
  const leaderFinding = agreedLeader(snapshot);
  if (!leaderFinding.found) return { healthy: false, reason: leaderFinding.reason };
  const leaderAnswer = snapshot.answers.find((answer) => answer.node === leaderFinding.leader);
  if (!leaderAnswer?.answered) return { healthy: false, reason: `leader ${leaderFinding.leader} did not answer` };
  const commitIndex = leaderAnswer.status.commitIndex;
  const target = referenceCommitIndex ?? commitIndex;
  const lagging = snapshot.answers.flatMap((answer) =>
    answer.answered && answer.holdsNoReplica !== true && (answer.status.commitIndex < target || answer.status.lastApplied < target)
      ? [`${answer.node} at commit ${answer.status.commitIndex}/applied ${answer.status.lastApplied}`]
      : [],
  );
  if (lagging.length > 0) {
    return {
      healthy: false,
      reason: `not caught up with leader ${leaderFinding.leader} (commit ${target}): ${lagging.join(', ')}`,
      leader: leaderFinding.leader,
      commitIndex,
    };
  }
  return { healthy: true, leader: leaderFinding.leader, term: leaderFinding.term, commitIndex };
}
