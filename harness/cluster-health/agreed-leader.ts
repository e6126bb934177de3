// Pure: the leader of a status snapshot, if exactly one node leads and a majority agrees on it.

import { answeredStatuses, type StatusSnapshot } from './status-snapshot.js';

export type LeaderFinding =
  | { found: true; leader: string; term: number; agreeing: string[] }
  | { found: false; reason: string };

export function majorityOf(nodeCount: number): number {
  return Math.floor(nodeCount / 2) + 1;
}

/**
 * Exactly one node claims leadership in the highest term any leader claims, and a majority of
 * the cluster (the leader included) names it as leader in that term.
 */
export function agreedLeader(snapshot: StatusSnapshot): LeaderFinding {
  const statuses = answeredStatuses(snapshot);
  const claimants = statuses.filter((status) => status.role === 'leader');
  if (claimants.length === 0) return { found: false, reason: 'no node claims to be leader' };
  const highestTerm = Math.max(...claimants.map((status) => status.term));
  const current = claimants.filter((status) => status.term === highestTerm);
  if (current.length > 1) {
    return { found: false, reason: `two leaders in term ${highestTerm}: ${current.map((status) => status.node).join(', ')}` };
  }
  const leader = current[0]!;
  const agreeing = statuses
    .filter((status) => status.leader === leader.node && status.term === leader.term)
    .map((status) => status.node);
  if (!agreeing.includes(leader.node)) agreeing.unshift(leader.node);
  const needed = majorityOf(snapshot.answers.length);
  if (agreeing.length < needed) {
    return { found: false, reason: `${leader.node} leads term ${leader.term} but only ${agreeing.length} of ${needed} needed nodes agree` };
  }
  return { found: true, leader: leader.node, term: leader.term, agreeing };
}

/** The node that claims leadership in the highest term, whether or not others agree yet. */
export function claimedLeader(snapshot: StatusSnapshot): string | undefined {
  const claimants = answeredStatuses(snapshot).filter((status) => status.role === 'leader');
  claimants.sort((left, right) => right.term - left.term);
  return claimants[0]?.node;
}
