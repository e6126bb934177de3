// The inbound half of a peer link: Raft messages another node sends over the connection it
// dialed to us, one JSON object per line. Malformed lines are counted and dropped.

import type { Socket } from 'node:net';
import type { RaftMessage } from '../core/types.js';
import { LineSplitter } from '../protocol/codec.js';

/** Peer lines carry whole snapshots, so their limit is far above the client's. */
const maxPeerLineBytes = 512 * 1024 * 1024;

const messageTypes = new Set(['RequestVote', 'RequestVoteReply', 'AppendEntries', 'AppendEntriesReply', 'InstallSnapshot', 'InstallSnapshotReply']);

export function acceptPeerMessages(
  socket: Socket,
  peer: string,
  self: string,
  firstBytes: Buffer,
  deliver: (message: RaftMessage) => void,
  malformed: (reason: string) => void,
): void {
  const splitter = new LineSplitter(maxPeerLineBytes);
  const receive = (chunk: Buffer): void => {
    for (const event of splitter.push(chunk)) {
      if (event.kind === 'too_long') {
        malformed(`line of ${event.bytes} bytes exceeds ${maxPeerLineBytes}`);
        continue;
      }
      const message = parseMessage(event.line, peer, self);
      if (typeof message === 'string') malformed(message);
      else deliver(message);
    }
  };
  socket.on('data', receive);
  if (firstBytes.length > 0) receive(firstBytes);
}

function parseMessage(line: string, peer: string, self: string): RaftMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return `invalid JSON from ${peer}: ${line.slice(0, 80)}`;
  }
  const message = value as Partial<RaftMessage> | null;
  if (typeof message !== 'object' || message === null || !messageTypes.has(message.type as string)) {
    return `not a Raft message from ${peer}: ${line.slice(0, 80)}`;
  }
  if (message.from !== peer || message.to !== self || !Number.isSafeInteger(message.term)) {
    return `${message.type} with from=${String(message.from)} to=${String(message.to)} on the link ${peer}->${self}`;
  }
  return message as RaftMessage;
}
