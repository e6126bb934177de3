// The contract between the pure Raft core and the server shell around it.
//
// The core is a deterministic state machine: `step(input)` takes one input (a tick, a peer
// message, a client request) and returns the effects to carry out. It never touches sockets,
// files, timers, Date or Math.random: time is counted in ticks and election jitter comes from
// an injected, seeded random number generator.
//
// The shell carries out the effects of a batch of steps in this fixed order:
//   1. every `persistState`, `appendEntries`, `truncateLog`, `saveSnapshot` effect, then one fsync;
//   2. every `send` effect;
//   3. every `reply` effect.
// So nothing is sent or acknowledged before what it depends on is durable. One exception, when
// `appendInParallel` is on (Raft thesis §10.2.1): a leader's AppendEntries are marked
// `beforeDurable` and may be sent before the batch's fsync, so that the leader writes its log in
// parallel with replication. The leader then counts itself in a commit quorum only up to the
// index the shell reports durable with a `persisted` input.

import type { Request, Response } from '../protocol/registry.js';

export type NodeId = string;

/**
 * The members of the cluster (Raft thesis chapter 4, single-server changes): voters elect and
 * count in quorums; learners receive the log (snapshot plus entries) but do not vote, until a
 * later configuration promotes them. A configuration takes effect on a node as soon as it is in
 * its log, committed or not.
 */
export interface Configuration {
  voters: NodeId[];
  learners: NodeId[];
  /** Peer addresses (`host:port`) of members, as given to add-member or the launch settings; may lack some. */
  addresses: Record<NodeId, string>;
}

/**
 * A command carried by a log entry. `noop` is the entry a new leader appends in its term;
 * `configuration` replaces the whole membership.
 */
export type Command =
  | { kind: 'noop' }
  | { kind: 'configuration'; configuration: Configuration }
  | { kind: 'put'; key: string; value: string; client?: string; seq?: number }
  | { kind: 'cas'; key: string; from: string | null; to: string; client?: string; seq?: number }
  | { kind: 'delete'; key: string; client?: string; seq?: number };

export interface LogEntry {
  index: number;
  term: number;
  command: Command;
}

/** Durable per-node state besides the log. */
export interface HardState {
  term: number;
  votedFor: NodeId | null;
}

/** Applied state machine image plus the position it covers. */
export interface Snapshot {
  lastIncludedIndex: number;
  lastIncludedTerm: number;
  /** The configuration in effect at lastIncludedIndex (absent in snapshots written before membership changes: the launch configuration). */
  configuration?: Configuration;
  /** Key-value pairs and the de-duplication table, as the core's state machine serialises them. */
  data: SnapshotData;
}

export interface SnapshotData {
  kv: Record<string, string>;
  /** client id -> last applied seq and the response it got, to answer retries identically. */
  sessions: Record<string, { seq: number; response: StateMachineResult }>;
}

/** Result of applying one command to the key-value state machine. */
export type StateMachineResult =
  | { ok: true }
  | { ok: false; error: 'cas_mismatch'; value: string | null };

// ---- Peer messages ---------------------------------------------------------------------------

export type RaftMessage =
  | RequestVote
  | RequestVoteReply
  | AppendEntries
  | AppendEntriesReply
  | InstallSnapshot
  | InstallSnapshotReply;

interface Envelope {
  from: NodeId;
  to: NodeId;
  term: number;
}

export interface RequestVote extends Envelope {
  type: 'RequestVote';
  lastLogIndex: number;
  lastLogTerm: number;
  /**
   * Pre-vote (Raft dissertation §9.6): "would you vote for me in `term`?" Asked before a real
   * election; changes no state on either side. Absent means a real vote.
   */
  preVote?: boolean;
}

export interface RequestVoteReply extends Envelope {
  type: 'RequestVoteReply';
  voteGranted: boolean;
  /** Answers a pre-vote request. */
  preVote?: boolean;
}

export interface AppendEntries extends Envelope {
  type: 'AppendEntries';
  prevLogIndex: number;
  prevLogTerm: number;
  entries: LogEntry[];
  leaderCommit: number;
  /** Leader-chosen round number echoed by the reply; ReadIndex confirmation counts these. */
  readRound: number;
}

export interface AppendEntriesReply extends Envelope {
  type: 'AppendEntriesReply';
  success: boolean;
  /** On success: the last index the follower now matches. */
  matchIndex: number;
  /** On failure: fast back-off hints (the conflicting term and its first index, or the log length). */
  conflictTerm: number | null;
  conflictIndex: number;
  readRound: number;
}

export interface InstallSnapshot extends Envelope {
  type: 'InstallSnapshot';
  snapshot: Snapshot;
  readRound: number;
}

export interface InstallSnapshotReply extends Envelope {
  type: 'InstallSnapshotReply';
  matchIndex: number;
  readRound: number;
}

// ---- Inputs and effects ----------------------------------------------------------------------

export type Input =
  | { type: 'tick' }
  | { type: 'message'; message: RaftMessage }
  /** A client request; `ref` is the shell's handle to route the reply back. */
  | { type: 'request'; ref: number; request: Request }
  /** The shell made this node's log durable up to `index`, an entry of `term` (appendInParallel). */
  | { type: 'persisted'; index: number; term: number };

export type Effect =
  | { type: 'persistState'; state: HardState }
  /** Append entries to the durable log, after removing any entries from `entries[0].index` on. */
  | { type: 'appendEntries'; entries: LogEntry[] }
  /** Remove every entry with index >= fromIndex. */
  | { type: 'truncateLog'; fromIndex: number }
  /** Persist a snapshot and drop log entries it covers. */
  | { type: 'saveSnapshot'; snapshot: Snapshot }
  /** `beforeDurable`: may go out before this batch's persistence effects are durable (a leader's AppendEntries). */
  | { type: 'send'; message: RaftMessage; beforeDurable?: boolean }
  | { type: 'reply'; ref: number; response: Response }
  /** Structured events for the node log (role changes, elections, terms). */
  | { type: 'log'; event: string; fields: Record<string, unknown> };

/** Bug modes the core can be switched into; all off by default. */
export interface CoreBugModes {
  /** Serve `get` from local state without quorum confirmation. */
  staleReads: boolean;
  /** Reply to writes as soon as the leader appends them, before commit. */
  ackBeforeCommit: boolean;
  /** Grant a vote to every candidate of a term, not just the first. */
  doubleVote: boolean;
  /** Commit an entry of an earlier term by counting replicas (Raft paper figure 8). */
  commitOldTermByCounting: boolean;
  /**
   * Start a membership change while another one is uncommitted, and before this leader has
   * committed an entry of its own term (Ongaro, raft-dev 2015: single-server changes then lose
   * the overlap of majorities).
   */
  unsafeMembershipChanges: boolean;
}

export interface CoreConfig {
  id: NodeId;
  /**
   * The launch configuration's voters, in effect until the log or snapshot holds a configuration;
   * `id` is a voter of it too (whether listed or not) unless `joining`.
   */
  peers: NodeId[];
  /**
   * The node was started to be added to a running cluster: it is in no configuration, never
   * starts an election, and waits for a leader to replicate one to it (RAFT_JOIN).
   */
  joining?: boolean;
  /** Peer addresses of the launch configuration, reported by `status` and `members`. */
  addresses?: Record<NodeId, string>;
  /** Election timeout drawn uniformly from [min, max] ticks. */
  electionTimeoutTicksMin: number;
  electionTimeoutTicksMax: number;
  heartbeatIntervalTicks: number;
  /** Client requests not committed within this many ticks are answered `timeout`. */
  requestTimeoutTicks: number;
  /** Most entries in one AppendEntries. */
  maxEntriesPerMessage: number;
  /** Take a snapshot once this many applied entries follow the last one. */
  snapshotThresholdEntries: number;
  bugs: CoreBugModes;
  /**
   * Ask for pre-votes before starting an election (default true): a node cut off from the
   * cluster then does not raise its term and depose a healthy leader when it returns.
   */
  preVote?: boolean;
  /**
   * Leader appends to its disk in parallel with replication (default false): its AppendEntries
   * are sent `beforeDurable`, and it counts itself in a commit quorum only up to the index of its
   * last `persisted` input. The shell must then feed `persisted` after every durable append.
   */
  appendInParallel?: boolean;
  /** Most unacknowledged AppendEntries with entries per follower while pipelining (default 32). */
  maxInflightMessages?: number;
  /** Seeded random in [0, 1): the only source of randomness in the core. */
  random: () => number;
}

/** What the shell loads from disk at start, handed to the core. */
export interface RecoveredState {
  hardState: HardState;
  snapshot: Snapshot | null;
  /** Entries after the snapshot, in index order. */
  entries: LogEntry[];
}
