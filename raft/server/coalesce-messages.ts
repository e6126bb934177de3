// Transport-level batching of Raft messages: within one batch of effects, consecutive
// AppendEntries to the same peer that continue each other (same term, the second starting where
// the first ends) are merged into one message. The follower ends in the same state as after
// receiving them back to back, and its one reply (matchIndex of the last entry, the latest
// readRound) tells the leader everything the separate replies would have. Order per peer is kept;
// any other message in between stops the merge. Pure.

import type { AppendEntries, RaftMessage } from '../core/types.js';

export function coalesceMessages(messages: readonly RaftMessage[], maxEntriesPerMessage: number): RaftMessage[] {
  const result: RaftMessage[] = [];
  const lastToPeer = new Map<string, number>();
  for (const message of messages) {
    const position = lastToPeer.get(message.to);
    const previous = position === undefined ? undefined : result[position];
    if (previous !== undefined && canMerge(previous, message, maxEntriesPerMessage)) {
      result[position!] = merge(previous as AppendEntries, message as AppendEntries);
      continue;
    }
    lastToPeer.set(message.to, result.length);
    result.push(message);
  }
  return result;
}

function canMerge(first: RaftMessage, second: RaftMessage, maxEntriesPerMessage: number): boolean {
  if (first.type !== 'AppendEntries' || second.type !== 'AppendEntries') return false;
  if (first.term !== second.term || first.from !== second.from) return false;
  if (first.entries.length + second.entries.length > maxEntriesPerMessage) return false;
  const end = first.prevLogIndex + first.entries.length;
  const endTerm = first.entries.length > 0 ? first.entries[first.entries.length - 1]!.term : first.prevLogTerm;
  return second.prevLogIndex === end && second.prevLogTerm === endTerm;
}

function merge(first: AppendEntries, second: AppendEntries): AppendEntries {
  return {
    ...first,
    entries: first.entries.length === 0 ? second.entries : first.entries.concat(second.entries),
    leaderCommit: Math.max(first.leaderCommit, second.leaderCommit),
    readRound: Math.max(first.readRound, second.readRound),
  };
}
