// Evidence for faults expected to force an election (the leader killed, stopped, paused, cut
// off): the highest term before the fault, and the highest term seen by heal time, waiting a
// bounded while for it to grow. Faults that spare the leader record no terms.

import { claimedLeader, majorityOf } from '../cluster-health/agreed-leader.js';
import { pollUntil } from '../shared/poll-until.js';
import { takeStatusSnapshot } from '../cluster-health/take-status-snapshot.js';
import { highestTerm, type FaultContext } from './fault.js';

/** How long a heal waits for the term to grow before recording what it saw. */
const termWaitMs = 10_000;

export function electionExpected(context: Pick<FaultContext, 'snapshotBefore'>, targets: readonly string[]): boolean {
  const leader = claimedLeader(context.snapshotBefore);
  return leader !== undefined && targets.includes(leader);
}

export async function observeTermAfter(context: Pick<FaultContext, 'cluster' | 'probe' | 'progress'>, termBefore: number): Promise<number> {
  const outcome = await pollUntil<number>({
    what: `a term after ${termBefore}`,
    timeoutMs: termWaitMs,
    intervalMs: 100,
    progressEveryMs: 5000,
    progress: context.progress,
    attempt: async () => {
      const term = highestTerm(await takeStatusSnapshot(context.cluster.nodes, context.probe));
      return { done: term > termBefore, finding: term, describe: `highest term ${term}` };
    },
  });
  return outcome.finding ?? termBefore;
}

/** A cut forces an election when it leaves the leader in a group smaller than a majority. */
export function electionExpectedForGroups(context: Pick<FaultContext, 'snapshotBefore'>, groups: readonly (readonly string[])[]): boolean {
  const leader = claimedLeader(context.snapshotBefore);
  const nodeCount = context.snapshotBefore.answers.length;
  const leaderGroup = groups.find((group) => leader !== undefined && group.includes(leader));
  return leaderGroup !== undefined && leaderGroup.length < majorityOf(nodeCount);
}

/** Start evidence: the term before, when an election is expected. */
export function termBeforeEvidence(context: Pick<FaultContext, 'snapshotBefore'>, expected: boolean): { termBefore?: number } {
  return expected ? { termBefore: highestTerm(context.snapshotBefore) } : {};
}

/** Heal evidence: the term after, when a term before was recorded. */
export async function termAfterEvidence(context: Pick<FaultContext, 'cluster' | 'probe' | 'progress'>, start: { termBefore?: number }): Promise<{ termAfter?: number }> {
  return start.termBefore === undefined ? {} : { termAfter: await observeTermAfter(context, start.termBefore) };
}
