// The follower side of AppendEntries (Raft §5.3), as a pure function of the follower's log:
// does the leader's log match ours at prevLogIndex, and if so which entries are new to us.
import type { RaftLog } from './raft-log.js';
import type { AppendEntries, LogEntry } from './types.js';

export type LogMatch =
  /** `fresh`: the entries to append, replacing ours from fresh[0].index on (empty: nothing new). */
  | { success: true; matchIndex: number; fresh: LogEntry[] }
  /** Fast back-off hints: our term at prevLogIndex and where it starts, or (term null) our log end. */
  | { success: false; conflictTerm: number | null; conflictIndex: number };

export function matchLeaderLog(log: RaftLog, commitIndex: number, message: AppendEntries): LogMatch {
  let prevIndex = message.prevLogIndex;
  let prevTerm = message.prevLogTerm;
  let entries = message.entries;
  const lastIndexInMessage = prevIndex + entries.length;
  if (prevIndex < commitIndex) {
    // Committed entries match the leader's; skip what we already hold as committed.
    if (lastIndexInMessage <= commitIndex) return { success: true, matchIndex: commitIndex, fresh: [] };
    entries = entries.slice(commitIndex - prevIndex);
    prevIndex = commitIndex;
    prevTerm = log.term(prevIndex)!;
  }
  if (prevIndex > log.lastIndex()) {
    return { success: false, conflictTerm: null, conflictIndex: log.lastIndex() + 1 };
  }
  const localTerm = log.term(prevIndex)!;
  if (localTerm !== prevTerm) {
    const firstOfTerm = log.firstIndexAtOrAboveTerm(localTerm, commitIndex + 1);
    return { success: false, conflictTerm: localTerm, conflictIndex: Math.min(firstOfTerm, prevIndex) };
  }
  return { success: true, matchIndex: lastIndexInMessage, fresh: entriesNotHeld(log, entries) };
}

/** The suffix of `entries` from the first one we lack or hold with another term. */
function entriesNotHeld(log: RaftLog, entries: LogEntry[]): LogEntry[] {
  let skip = 0;
  while (skip < entries.length) {
    const entry = entries[skip]!;
    if (entry.index > log.lastIndex() || log.term(entry.index) !== entry.term) break;
    skip += 1;
  }
  return skip === 0 ? entries : entries.slice(skip);
}

/**
 * The leader side of a refusal: the next index to try. When the leader holds entries of the
 * follower's conflicting term, resume after its last one; else skip the follower's whole term.
 */
export function nextIndexAfterRefusal(log: RaftLog, conflictTerm: number | null, conflictIndex: number): number {
  let next = conflictIndex;
  if (conflictTerm !== null) {
    const last = log.lastIndexAtOrBelowTerm(conflictTerm);
    if (log.term(last) === conflictTerm) next = last + 1;
  }
  return Math.max(1, Math.min(next, log.lastIndex() + 1));
}
