// Waits, with a deadline, until one leader is agreed, every node answers, and every node has
// caught up with the leader's commitIndex (heal is not recovery: this is the recovery check).

import { healthyCluster, type HealthFinding } from './healthy-cluster.js';
import { pollUntil } from '../shared/poll-until.js';
import { describeSnapshot, type StatusSnapshot } from './status-snapshot.js';
import { takeStatusSnapshot } from './take-status-snapshot.js';
import { pollTiming, type ClusterWaitOptions } from './wait-for-leader.js';

export type HealthWaitResult =
  | { healthy: true; leader: string; term: number; commitIndex: number; elapsedMs: number; snapshot: StatusSnapshot }
  | { healthy: false; reason: string; elapsedMs: number; snapshot: StatusSnapshot | undefined };

export async function waitForHealthy(options: ClusterWaitOptions): Promise<HealthWaitResult> {
  let snapshot: StatusSnapshot | undefined;
  let reference: { leader: string; commitIndex: number } | undefined;
  const outcome = await pollUntil<HealthFinding>({
    what: 'a healthy cluster',
    ...pollTiming(options),
    attempt: async () => {
      snapshot = await takeStatusSnapshot(options.nodes, options.probe);
      const finding = healthyCluster(snapshot, reference?.commitIndex);
      const leader = finding.leader;
      // Nodes must reach what the leader had committed one round earlier: under a running
      // workload the leader's commitIndex moves while the snapshot is taken.
      reference = leader !== undefined && finding.commitIndex !== undefined ? { leader, commitIndex: finding.commitIndex } : undefined;
      return { done: finding.healthy, finding, describe: finding.healthy ? finding.leader : `${finding.reason} [${describeSnapshot(snapshot)}]` };
    },
  });
  const elapsedMs = Math.round(outcome.elapsedMs);
  if (outcome.done && outcome.finding.healthy && snapshot) {
    const { leader, term, commitIndex } = outcome.finding;
    return { healthy: true, leader, term, commitIndex, elapsedMs, snapshot };
  }
  const cause = outcome.done ? 'unhealthy' : outcome.aborted ? 'aborted' : `not healthy within ${options.timeoutMs} ms`;
  return { healthy: false, reason: `${cause}; last seen: ${outcome.done ? '' : outcome.lastDescription}`, elapsedMs, snapshot };
}
