// Waits, with a deadline, until exactly one node leads and a majority agrees on it.

import { agreedLeader, type LeaderFinding } from './agreed-leader.js';
import { pollUntil, type PollOptions } from '../shared/poll-until.js';
import { describeSnapshot, type StatusProbe, type StatusSnapshot } from './status-snapshot.js';
import { takeStatusSnapshot } from './take-status-snapshot.js';

export interface ClusterWaitOptions {
  nodes: readonly string[];
  probe: StatusProbe;
  timeoutMs: number;
  progress: (line: string) => void;
  signal?: AbortSignal;
  /** Between rounds; default 100 ms. */
  intervalMs?: number;
  /** Default 5000 ms. */
  progressEveryMs?: number;
}

/** The deadline, pace, progress and abort of a cluster wait, with their defaults. */
export function pollTiming(options: ClusterWaitOptions): Pick<PollOptions<unknown>, 'timeoutMs' | 'intervalMs' | 'progressEveryMs' | 'progress' | 'signal'> {
  return {
    timeoutMs: options.timeoutMs,
    intervalMs: options.intervalMs ?? 100,
    progressEveryMs: options.progressEveryMs ?? 5000,
    progress: options.progress,
    signal: options.signal,
  };
}

export type LeaderWaitResult =
  | { found: true; leader: string; term: number; elapsedMs: number; snapshot: StatusSnapshot }
  | { found: false; reason: string; elapsedMs: number; snapshot: StatusSnapshot | undefined };

export async function waitForLeader(options: ClusterWaitOptions): Promise<LeaderWaitResult> {
  let snapshot: StatusSnapshot | undefined;
  const outcome = await pollUntil<LeaderFinding>({
    what: 'a leader',
    ...pollTiming(options),
    attempt: async () => {
      snapshot = await takeStatusSnapshot(options.nodes, options.probe);
      const finding = agreedLeader(snapshot);
      return { done: finding.found, finding, describe: finding.found ? finding.leader : `${finding.reason} [${describeSnapshot(snapshot)}]` };
    },
  });
  const elapsedMs = Math.round(outcome.elapsedMs);
  if (outcome.done && outcome.finding.found && snapshot) {
    return { found: true, leader: outcome.finding.leader, term: outcome.finding.term, elapsedMs, snapshot };
  }
  const cause = outcome.done ? 'no leader' : outcome.aborted ? 'aborted' : `no agreed leader within ${options.timeoutMs} ms`;
  return { found: false, reason: `${cause}; last seen: ${outcome.done ? '' : outcome.lastDescription}`, elapsedMs, snapshot };
}
