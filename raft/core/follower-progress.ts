// What a leader knows about one follower's log, and how it may send to it:
// - probe: the match point is unknown; one AppendEntries at a time, nextIndex not advanced;
// - replicate: pipelining; nextIndex advances optimistically, at most maxInflight messages out;
// - snapshot: an InstallSnapshot is out; wait for its reply (resent after a while).

export type ProgressMode = 'probe' | 'replicate' | 'snapshot';

export interface FollowerProgress {
  nextIndex: number;
  matchIndex: number;
  mode: ProgressMode;
  /** Last index carried by each AppendEntries still unacknowledged (replicate mode), oldest first. */
  inflight: number[];
  /** Probe mode: an AppendEntries is out since the last reply or heartbeat. */
  probeSent: boolean;
  /** Tick at which the last InstallSnapshot went out. */
  snapshotSentTick: number;
  /** matchIndex when the last heartbeat went out: no change over an interval means a lost message. */
  matchIndexAtHeartbeat: number;
  heartbeatsWithoutProgress: number;
  /** Highest readRound echoed back by this follower in the current term. */
  ackedReadRound: number;
  /** Replied since the last quorum check. */
  recentlyActive: boolean;
}

export function newFollowerProgress(lastIndex: number): FollowerProgress {
  return {
    nextIndex: lastIndex + 1,
    matchIndex: 0,
    mode: 'probe',
    inflight: [],
    probeSent: false,
    snapshotSentTick: 0,
    matchIndexAtHeartbeat: 0,
    heartbeatsWithoutProgress: 0,
    ackedReadRound: 0,
    recentlyActive: true,
  };
}

/** Record a confirmed match up to `matchIndex` (mode unchanged); returns whether the match point moved. */
export function recordMatch(progress: FollowerProgress, matchIndex: number): boolean {
  const moved = matchIndex > progress.matchIndex;
  if (moved) progress.matchIndex = matchIndex;
  progress.nextIndex = Math.max(progress.nextIndex, progress.matchIndex + 1);
  while (progress.inflight.length > 0 && progress.inflight[0]! <= matchIndex) progress.inflight.shift();
  return moved;
}

/** Fall back to probing from `nextIndex` (never at or below the known match point). */
export function restartProbe(progress: FollowerProgress, nextIndex: number): void {
  progress.nextIndex = Math.max(nextIndex, progress.matchIndex + 1);
  progress.mode = 'probe';
  progress.inflight = [];
  progress.probeSent = false;
}

/** Whether a non-heartbeat send carrying entries may go out now. */
export function canSendEntries(progress: FollowerProgress, maxInflight: number): boolean {
  switch (progress.mode) {
    case 'probe':
      return !progress.probeSent;
    case 'replicate':
      return progress.inflight.length < maxInflight;
    case 'snapshot':
      return false;
  }
}
