// One Raft node as a deterministic state machine. `step` handles one input and returns the
// effects; the order of effects within a step is meaningful (persist before send and reply,
// see types.ts). Roles, elections, replication, commit, apply, snapshots, ReadIndex reads and
// single-server membership changes (membership.ts holds the client-facing part).
import type { MemberStatus, Request, Response, Role, StatusFields } from '../protocol/registry.js';
import {
  notLeaderResponse,
  readResponse,
  timeoutResponse,
  unavailableResponse,
  writeResponse,
} from './client-responses.js';
import {
  canSendEntries,
  newFollowerProgress,
  recordMatch,
  restartProbe,
  type FollowerProgress,
} from './follower-progress.js';
import { commandOf, type WriteRequest } from './command-of.js';
import { ConfigurationHistory, type ConfigurationAt } from './configuration-history.js';
import { launchConfiguration, membersOf } from './configuration.js';
import { MembershipChanges, type MembershipHost, type MembershipRequest } from './membership.js';
import { KvStateMachine } from './kv-state-machine.js';
import { matchLeaderLog, nextIndexAfterRefusal } from './log-matching.js';
import { majorityOf, quorumValue } from './quorum.js';
import { RaftLog } from './raft-log.js';
import { ReadIndexQueue, type PendingRead } from './read-index-queue.js';
import type {
  AppendEntries,
  AppendEntriesReply,
  Command,
  Configuration,
  CoreConfig,
  Effect,
  Input,
  InstallSnapshot,
  InstallSnapshotReply,
  LogEntry,
  NodeId,
  RaftMessage,
  RecoveredState,
  RequestVote,
  RequestVoteReply,
  Snapshot,
} from './types.js';

const defaultMaxInflightMessages = 32;
/** Heartbeat intervals without any acknowledgement before a pipeline is assumed broken. */
const stalledHeartbeats = 2;

interface PendingWrite {
  ref: number;
  id: number;
  term: number;
  deadlineTick: number;
}

export class RaftNode {
  private role: Role = 'follower';
  private term: number;
  private votedFor: NodeId | null;
  private leaderId: NodeId | null = null;
  private readonly log: RaftLog;
  private kv: KvStateMachine;
  private snapshot: Snapshot | null;
  private commitIndex: number;
  private lastApplied: number;
  /** The launch configuration (used until the log or a snapshot holds one). */
  private readonly launch: Configuration;
  private readonly configurations: ConfigurationHistory;
  /** Voters of the latest configuration in the log. */
  private voters: NodeId[] = [];
  /** Everyone a leader replicates to: members of the latest configuration and, while it is uncommitted, of the one before. */
  private others: NodeId[] = [];
  private readonly membership: MembershipChanges;
  private memberListCache: { of: ConfigurationAt; list: MemberStatus[] } | null = null;
  private readonly maxInflight: number;
  /** appendInParallel: the end of the log this leader knows durable on its own disk. */
  private durableIndex = 0;
  private tickCount = 0;
  private electionElapsedTicks = 0;
  private electionTimeoutTicks = 0;
  private heartbeatElapsedTicks = 0;
  private quorumCheckElapsedTicks = 0;
  /** Asking for pre-votes for term + 1 (role unchanged meanwhile). */
  private preCandidate = false;
  /** Pre-votes for term + 1, kept apart from the real votes of the current term. */
  private preVotesGranted = new Set<NodeId>();
  private votesGranted = new Set<NodeId>();
  private votesRefused = new Set<NodeId>();
  private progress = new Map<NodeId, FollowerProgress>();
  /** Index of the noop this node appended when it became leader of the current term. */
  private termStartIndex = 0;
  /** Whether this leadership has logged its first commit (see maybeCommit). */
  private firstCommitLogged = true;
  private readonly pendingWrites = new Map<number, PendingWrite>();
  private readonly reads = new ReadIndexQueue();
  private out: Effect[] = [];

  constructor(
    private readonly config: CoreConfig,
    recovered: RecoveredState,
  ) {
    this.term = recovered.hardState.term;
    this.votedFor = recovered.hardState.votedFor;
    this.snapshot = recovered.snapshot;
    const snapshotIndex = recovered.snapshot?.lastIncludedIndex ?? 0;
    const snapshotTerm = recovered.snapshot?.lastIncludedTerm ?? 0;
    this.log = new RaftLog(snapshotIndex, snapshotTerm, recovered.entries);
    this.kv = KvStateMachine.fromSnapshot(recovered.snapshot?.data ?? null);
    this.commitIndex = snapshotIndex;
    this.lastApplied = snapshotIndex;
    this.launch = launchConfiguration(config.id, config.peers, config.joining === true, config.addresses);
    this.configurations = new ConfigurationHistory(recovered.snapshot?.configuration ?? this.launch, snapshotIndex, this.log.slice(this.log.firstIndex(), this.log.lastIndex()));
    this.membership = new MembershipChanges(this.membershipHost(), config.bugs.unsafeMembershipChanges === true, config.requestTimeoutTicks);
    this.refreshMembership();
    this.maxInflight = Math.max(1, config.maxInflightMessages ?? defaultMaxInflightMessages);
    this.resetElectionTimer();
  }

  step(input: Input): Effect[] {
    this.out = [];
    switch (input.type) {
      case 'tick':
        this.onTick();
        break;
      case 'message':
        this.onMessage(input.message);
        break;
      case 'request':
        this.onRequest(input.ref, input.request);
        break;
      case 'persisted':
        this.onPersisted(input.index, input.term);
        break;
    }
    const effects = this.out;
    this.out = [];
    return effects;
  }

  status(): StatusFields {
    return {
      node: this.config.id,
      role: this.role,
      term: this.term,
      leader: this.leaderId,
      commitIndex: this.commitIndex,
      lastApplied: this.lastApplied,
      lastLogIndex: this.log.lastIndex(),
      configurationIndex: this.configurations.latest().index,
      members: this.memberList(),
    };
  }

  /** The latest configuration's members, the same array until the configuration changes (status runs after every step). */
  private memberList(): MemberStatus[] {
    const latest = this.configurations.latest();
    if (this.memberListCache?.of !== latest) this.memberListCache = { of: latest, list: this.membership.memberList(latest.configuration) };
    return this.memberListCache.list;
  }

  // ---- Membership ----------------------------------------------------------------------------

  private get quorum(): number {
    return majorityOf(this.voters.length);
  }

  private isVoter(): boolean {
    return this.voters.includes(this.config.id);
  }

  /**
   * A leader that removed itself and lost leadership before the removal committed may be the
   * only node whose log holds it: it may stand again (counting only the new voters) to commit
   * it, or the others, which need its vote under the old configuration, never elect anyone.
   * Once it knows the removal committed, it never stands again.
   */
  private removalUncommitted(): boolean {
    const previous = this.configurations.previous();
    return previous !== null && this.configurations.latest().index > this.commitIndex && previous.configuration.voters.includes(this.config.id);
  }

  /**
   * Whether this node may vote: it knows some configuration. A node started to join (or wiped
   * and started again) has forgotten its log and its votes, and would otherwise help a stale
   * node with an old configuration win. Removed nodes and learners do vote (Raft thesis §4.1:
   * a voter whose log lacks its promotion must still be electable by the others).
   */
  private mayVote(): boolean {
    return membersOf(this.configurations.latest().configuration).length > 0;
  }

  /** The highest value a quorum of voters reaches: `own` for this node, `ofFollower` for the others. */
  private quorumOf(own: number, ofFollower: (progress: FollowerProgress) => number): number {
    const values = this.voters.map((voter) => {
      if (voter === this.config.id) return own;
      const progress = this.progress.get(voter);
      return progress === undefined ? 0 : ofFollower(progress);
    });
    return quorumValue(values, this.quorum);
  }

  private votesAmongVoters(votes: Set<NodeId>): number {
    return this.voters.filter((voter) => votes.has(voter)).length;
  }

  /** Recompute voters and replication targets after the configuration or the commit index moved. */
  private refreshMembership(): void {
    const latest = this.configurations.latest();
    const previous = latest.index > this.commitIndex ? this.configurations.previous() : null;
    const previousVoters = this.voters;
    this.voters = latest.configuration.voters;
    const targets = new Set([...membersOf(latest.configuration), ...(previous === null ? [] : membersOf(previous.configuration))]);
    targets.delete(this.config.id);
    this.others = [...targets].sort();
    if (previousVoters.join(',') !== this.voters.join(',') && previousVoters.length > 0) {
      this.logEvent('configuration changed', { index: latest.index, voters: this.voters, learners: latest.configuration.learners, committed: latest.index <= this.commitIndex });
    }
    if (this.role !== 'leader') return;
    for (const peer of this.others) if (!this.progress.has(peer)) this.progress.set(peer, newFollowerProgress(this.log.lastIndex()));
    for (const peer of [...this.progress.keys()]) if (!targets.has(peer)) this.progress.delete(peer);
  }

  private membershipHost(): MembershipHost {
    return {
      nodeId: () => this.config.id,
      latest: () => this.configurations.latest(),
      commitIndex: () => this.commitIndex,
      termStartIndex: () => this.termStartIndex,
      tick: () => this.tickCount,
      matchIndexOf: (peer) => this.progress.get(peer)?.matchIndex ?? 0,
      appendConfiguration: (configuration) => this.appendConfiguration(configuration),
      reply: (ref, response) => this.reply(ref, response),
      logEvent: (event, fields) => this.logEvent(event, fields),
    };
  }

  private appendConfiguration(configuration: Configuration): { index: number; term: number } {
    const entry = this.appendLocal({ kind: 'configuration', configuration });
    this.replicateToAll();
    return { index: entry.index, term: entry.term };
  }

  /** The commit index moved: the previous configuration may be done with, a change may go on, a removed leader steps down. */
  private afterCommit(previousCommitIndex: number): void {
    const latestIndex = this.configurations.latest().index;
    if (latestIndex > previousCommitIndex && latestIndex <= this.commitIndex) this.refreshMembership();
    if (this.role !== 'leader') return;
    this.membership.advance();
    if (!this.isVoter() && this.configurations.latest().index <= this.commitIndex) {
      this.logEvent('leader removed from configuration', { term: this.term, configurationIndex: this.configurations.latest().index });
      this.becomeFollower(this.term, null);
    }
  }

  // ---- Time ----------------------------------------------------------------------------------

  private onTick(): void {
    this.tickCount += 1;
    if (this.role === 'leader') {
      this.tickLeader();
    } else {
      this.electionElapsedTicks += 1;
      if (this.electionElapsedTicks >= this.electionTimeoutTicks) {
        // Not a voter of its latest configuration (a learner, removed, or waiting to be added): never a candidate.
        if (!this.isVoter() && !this.removalUncommitted()) this.resetElectionTimer();
        else if (this.config.preVote === false) this.startElection();
        else this.startPreVote();
      }
    }
    this.expireRequests();
  }

  private tickLeader(): void {
    this.heartbeatElapsedTicks += 1;
    if (this.heartbeatElapsedTicks >= this.config.heartbeatIntervalTicks) {
      this.heartbeatElapsedTicks = 0;
      for (const peer of this.others) this.heartbeat(peer);
    }
    this.quorumCheckElapsedTicks += 1;
    if (this.quorumCheckElapsedTicks >= this.config.electionTimeoutTicksMax) {
      this.quorumCheckElapsedTicks = 0;
      const active = this.voters.filter((voter) => voter === this.config.id || this.progress.get(voter)?.recentlyActive === true).length;
      for (const progress of this.progress.values()) progress.recentlyActive = false;
      if (active < this.quorum) {
        this.logEvent('leader lost quorum', { active, quorum: this.quorum });
        this.becomeFollower(this.term, null);
      }
    }
  }

  private resetElectionTimer(): void {
    const { electionTimeoutTicksMin: min, electionTimeoutTicksMax: max } = this.config;
    this.electionElapsedTicks = 0;
    this.electionTimeoutTicks = min + Math.floor(this.config.random() * (Math.max(max, min) - min + 1));
  }

  private expireRequests(): void {
    for (const [index, write] of this.pendingWrites) {
      if (write.deadlineTick > this.tickCount) break;
      this.pendingWrites.delete(index);
      this.reply(write.ref, timeoutResponse(write.id));
    }
    for (const read of this.reads.takeExpired(this.tickCount)) this.reply(read.ref, timeoutResponse(read.id));
    this.membership.expire();
  }

  // ---- Roles and elections -------------------------------------------------------------------

  private startPreVote(): void {
    this.preCandidate = true;
    this.leaderId = null;
    this.preVotesGranted = new Set([this.config.id]);
    this.resetElectionTimer();
    this.logEvent('pre-vote started', { term: this.term, proposedTerm: this.term + 1 });
    if (this.votesAmongVoters(this.preVotesGranted) >= this.quorum) {
      this.startElection();
      return;
    }
    this.requestVotes(this.term + 1, true);
  }

  private startElection(): void {
    this.preCandidate = false;
    this.setHardState(this.term + 1, this.config.id);
    this.setRole('candidate');
    this.leaderId = null;
    this.votesGranted = new Set([this.config.id]);
    this.votesRefused = new Set();
    this.resetElectionTimer();
    this.logEvent('election started', { term: this.term, lastLogIndex: this.log.lastIndex(), lastLogTerm: this.log.lastTerm() });
    if (this.votesAmongVoters(this.votesGranted) >= this.quorum) {
      this.becomeLeader();
      return;
    }
    this.requestVotes(this.term, false);
  }

  /** Asks every other node for its vote (or, for a pre-vote, whether it would give one) in `term`. */
  private requestVotes(term: number, preVote: boolean): void {
    for (const peer of this.voters) {
      if (peer === this.config.id) continue;
      this.send({
        type: 'RequestVote',
        from: this.config.id,
        to: peer,
        term,
        lastLogIndex: this.log.lastIndex(),
        lastLogTerm: this.log.lastTerm(),
        ...(preVote ? { preVote: true } : {}),
      });
    }
  }

  private becomeLeader(): void {
    this.setRole('leader');
    this.leaderId = this.config.id;
    this.logEvent('election won', { term: this.term, votes: [...this.votesGranted] });
    this.progress = new Map(this.others.map((peer) => [peer, newFollowerProgress(this.log.lastIndex())]));
    this.membership.reset();
    this.heartbeatElapsedTicks = 0;
    this.quorumCheckElapsedTicks = 0;
    // Everything before the noop is durable: the votes that won came after the candidacy was.
    this.durableIndex = this.log.lastIndex();
    this.termStartIndex = this.appendLocal({ kind: 'noop' }).index;
    this.firstCommitLogged = false;
    this.replicateToAll();
    this.maybeCommit();
  }

  /** Become (or stay) a follower in `term`, knowing `leader` (or not). */
  private becomeFollower(term: number, leader: NodeId | null, restartTimer = true): void {
    const previousRole = this.role;
    this.preCandidate = false;
    if (term > this.term) this.setHardState(term, null);
    this.setRole('follower');
    this.leaderId = leader;
    if (previousRole === 'leader') this.stepDownAsLeader();
    if (previousRole === 'candidate') this.logEvent('election lost', { term: this.term, leader });
    if (restartTimer) this.resetElectionTimer();
  }

  private stepDownAsLeader(): void {
    this.progress.clear();
    for (const [, write] of this.pendingWrites) this.reply(write.ref, unavailableResponse(write.id));
    this.pendingWrites.clear();
    for (const read of this.reads.takeAll()) this.reply(read.ref, unavailableResponse(read.id));
    this.membership.abandon();
  }

  private setRole(role: Role): void {
    if (role === this.role) return;
    this.logEvent('role changed', { from: this.role, to: role, term: this.term });
    this.role = role;
  }

  private setHardState(term: number, votedFor: NodeId | null): void {
    if (term !== this.term) this.logEvent('term changed', { from: this.term, to: term });
    this.term = term;
    this.votedFor = votedFor;
    this.out.push({ type: 'persistState', state: { term, votedFor } });
  }

  // ---- Messages ------------------------------------------------------------------------------

  private onMessage(message: RaftMessage): void {
    // Messages from nodes outside our configuration count too: a leader replicates to a node
    // being added before that node's log names anyone.
    if (message.to !== this.config.id || message.from === this.config.id) return;
    if (message.type === 'RequestVote' && message.preVote === true) {
      this.onPreVoteRequest(message);
      return;
    }
    if (message.type === 'RequestVote' && !this.voters.includes(message.from) && this.leaderHeardRecently()) {
      // A removed node that never learnt it was removed must not depose a working leader (Raft thesis §4.2.3).
      this.logEvent('vote request ignored', { candidate: message.from, term: message.term, reason: 'not a voter of our configuration, and a leader was heard recently' });
      return;
    }
    if (message.type === 'RequestVoteReply' && message.preVote === true && message.voteGranted) {
      this.onPreVoteGranted(message);
      return;
    }
    if (message.term > this.term) {
      const leader = message.type === 'AppendEntries' || message.type === 'InstallSnapshot' ? message.from : null;
      // A higher term from a node that is not a voter of our configuration (a removed node with a
      // stale log, which cannot win) does not restart the election timer, or such nodes would
      // keep every voter from ever timing out; from voters it does, as before.
      this.becomeFollower(message.term, leader, leader !== null || this.voters.includes(message.from));
    }
    if (message.term < this.term) {
      this.answerStaleTerm(message);
      return;
    }
    switch (message.type) {
      case 'RequestVote':
        return this.onRequestVote(message);
      case 'RequestVoteReply':
        return this.onRequestVoteReply(message);
      case 'AppendEntries':
        return this.onAppendEntries(message);
      case 'AppendEntriesReply':
        return this.onAppendEntriesReply(message);
      case 'InstallSnapshot':
        return this.onInstallSnapshot(message);
      case 'InstallSnapshotReply':
        return this.onInstallSnapshotReply(message);
    }
  }

  /**
   * A message from an older term: tell the sender our term so a stale leader steps down. The
   * read round is not echoed: the sender may lead our term by now (after a restart its round
   * numbers start again), and this reply proves nothing about its current rounds.
   */
  private answerStaleTerm(message: RaftMessage): void {
    const envelope = { from: this.config.id, to: message.from, term: this.term };
    if (message.type === 'RequestVote') {
      this.send({ ...envelope, type: 'RequestVoteReply', voteGranted: false });
    } else if (message.type === 'AppendEntries') {
      this.send({ ...envelope, type: 'AppendEntriesReply', success: false, matchIndex: 0, conflictTerm: null, conflictIndex: 0, readRound: 0 });
    } else if (message.type === 'InstallSnapshot') {
      this.send({ ...envelope, type: 'InstallSnapshotReply', matchIndex: 0, readRound: 0 });
    }
  }

  private onRequestVote(message: RequestVote): void {
    const canVote = this.votedFor === null || this.votedFor === message.from || this.config.bugs.doubleVote;
    const upToDate = this.candidateUpToDate(message);
    const granted = canVote && upToDate && this.mayVote();
    if (granted) {
      if (this.votedFor !== message.from) this.setHardState(this.term, message.from);
      this.resetElectionTimer();
    }
    this.logEvent(granted ? 'vote granted' : 'vote refused', {
      term: this.term,
      candidate: message.from,
      votedFor: this.votedFor,
      candidateUpToDate: upToDate,
    });
    this.send({ type: 'RequestVoteReply', from: this.config.id, to: message.from, term: this.term, voteGranted: granted });
  }

  /** Grant a pre-vote when we would vote for the candidate and no leader is heard from. */
  private onPreVoteRequest(message: RequestVote): void {
    const granted = message.term > this.term && !this.leaderHeardRecently() && this.candidateUpToDate(message) && this.mayVote();
    this.send({
      type: 'RequestVoteReply',
      from: this.config.id,
      to: message.from,
      term: granted ? message.term : this.term,
      voteGranted: granted,
      preVote: true,
    });
  }

  private leaderHeardRecently(): boolean {
    return this.role === 'leader' || (this.leaderId !== null && this.electionElapsedTicks < this.config.electionTimeoutTicksMin);
  }

  private onPreVoteGranted(message: RequestVoteReply): void {
    if (!this.preCandidate || message.term !== this.term + 1) return;
    this.preVotesGranted.add(message.from);
    if (this.votesAmongVoters(this.preVotesGranted) < this.quorum) return;
    this.logEvent('pre-vote won', { proposedTerm: this.term + 1, votes: [...this.preVotesGranted] });
    this.startElection();
  }

  private candidateUpToDate(message: RequestVote): boolean {
    const lastTerm = this.log.lastTerm();
    return message.lastLogTerm > lastTerm || (message.lastLogTerm === lastTerm && message.lastLogIndex >= this.log.lastIndex());
  }

  private onRequestVoteReply(message: RequestVoteReply): void {
    if (message.preVote === true || this.role !== 'candidate') return;
    (message.voteGranted ? this.votesGranted : this.votesRefused).add(message.from);
    if (this.votesAmongVoters(this.votesGranted) >= this.quorum) {
      this.becomeLeader();
    } else if (message.voteGranted === false && this.votesAmongVoters(this.votesRefused) === this.voters.length - this.quorum + 1) {
      this.logEvent('election lost', { term: this.term, refusedBy: [...this.votesRefused] });
    }
  }

  private onAppendEntries(message: AppendEntries): void {
    if (this.role === 'leader') {
      // Only possible when two leaders share a term (a bug mode); refuse, keep our log.
      this.replyAppend(message, { success: false, matchIndex: 0, conflictTerm: null, conflictIndex: this.log.lastIndex() + 1 });
      return;
    }
    if (this.role === 'candidate' || this.leaderId !== message.from) this.becomeFollower(this.term, message.from);
    this.resetElectionTimer();
    this.replyAppend(message, this.acceptEntries(message));
  }

  /** The log-matching check and append of AppendEntries; returns the reply's fields. */
  private acceptEntries(message: AppendEntries): Pick<AppendEntriesReply, 'success' | 'matchIndex' | 'conflictTerm' | 'conflictIndex'> {
    const match = matchLeaderLog(this.log, this.commitIndex, message);
    if (!match.success) return { success: false, matchIndex: 0, conflictTerm: match.conflictTerm, conflictIndex: match.conflictIndex };
    this.appendFromLeader(match.fresh);
    const newCommit = Math.min(message.leaderCommit, match.matchIndex);
    if (newCommit > this.commitIndex) {
      const previousCommitIndex = this.commitIndex;
      this.commitIndex = newCommit;
      this.applyCommitted();
      this.afterCommit(previousCommitIndex);
    }
    return { success: true, matchIndex: match.matchIndex, conflictTerm: null, conflictIndex: 0 };
  }

  /** Append entries new to us, truncating ours from the first of them. */
  private appendFromLeader(fresh: LogEntry[]): void {
    if (fresh.length === 0) return;
    const firstIndex = fresh[0]!.index;
    if (firstIndex <= this.log.lastIndex()) {
      this.logEvent('log truncated', { fromIndex: firstIndex, lastIndex: this.log.lastIndex(), term: this.term });
      this.log.truncateFrom(firstIndex);
    }
    let changed = this.configurations.truncatedFrom(firstIndex);
    for (const entry of fresh) {
      this.log.append(entry);
      if (this.configurations.appended(entry)) changed = true;
    }
    this.out.push({ type: 'appendEntries', entries: fresh });
    if (changed) this.refreshMembership();
  }

  private replyAppend(
    message: AppendEntries,
    fields: Pick<AppendEntriesReply, 'success' | 'matchIndex' | 'conflictTerm' | 'conflictIndex'>,
  ): void {
    this.send({ type: 'AppendEntriesReply', from: this.config.id, to: message.from, term: this.term, readRound: message.readRound, ...fields });
  }

  private onAppendEntriesReply(message: AppendEntriesReply): void {
    const progress = this.role === 'leader' ? this.progress.get(message.from) : undefined;
    if (progress === undefined) return;
    this.noteFollowerAlive(progress, message.readRound);
    if (message.success) {
      const moved = recordMatch(progress, message.matchIndex);
      if (progress.mode === 'probe' || (progress.mode === 'snapshot' && progress.matchIndex >= this.log.snapshotIndex)) {
        progress.mode = 'replicate';
        progress.inflight = [];
        progress.probeSent = false;
      }
      if (moved) this.maybeCommit();
      if (moved && this.role === 'leader') this.membership.advance();
    } else if (progress.mode !== 'snapshot' && message.conflictIndex > 0) {
      // conflictIndex 0: refused for its stale term, nothing learnt about the log.
      if (message.conflictTerm === null && message.conflictIndex <= progress.matchIndex) this.forgetMatch(message.from, progress, message.conflictIndex);
      restartProbe(progress, nextIndexAfterRefusal(this.log, message.conflictTerm, message.conflictIndex));
    }
    if (this.role === 'leader' && this.sendsAtOnce(message.from, this.quorumFollowers())) this.sendPending(message.from);
    this.confirmReads();
  }

  private onInstallSnapshot(message: InstallSnapshot): void {
    if (this.role === 'leader') return;
    if (this.role === 'candidate' || this.leaderId !== message.from) this.becomeFollower(this.term, message.from);
    this.resetElectionTimer();
    const snapshot = message.snapshot;
    if (snapshot.lastIncludedIndex > this.commitIndex) this.installSnapshot(snapshot);
    this.send({
      type: 'InstallSnapshotReply',
      from: this.config.id,
      to: message.from,
      term: this.term,
      matchIndex: this.commitIndex,
      readRound: message.readRound,
    });
  }

  private installSnapshot(snapshot: Snapshot): void {
    const { lastIncludedIndex: index, lastIncludedTerm: term } = snapshot;
    const keepsSuffix = this.log.term(index) === term;
    this.out.push({ type: 'saveSnapshot', snapshot });
    if (keepsSuffix) {
      this.log.compactTo(index, term);
      this.configurations.compactedTo(index);
    } else {
      this.log.resetTo(index, term);
      this.configurations.resetTo(snapshot.configuration ?? this.launch, index);
      this.out.push({ type: 'truncateLog', fromIndex: index + 1 });
    }
    this.snapshot = snapshot;
    this.kv = KvStateMachine.fromSnapshot(snapshot.data);
    this.commitIndex = index;
    this.lastApplied = index;
    this.refreshMembership();
    this.logEvent('snapshot installed', { lastIncludedIndex: index, lastIncludedTerm: term, keptLogSuffix: keepsSuffix });
  }

  private onInstallSnapshotReply(message: InstallSnapshotReply): void {
    const progress = this.role === 'leader' ? this.progress.get(message.from) : undefined;
    if (progress === undefined) return;
    this.noteFollowerAlive(progress, message.readRound);
    const moved = recordMatch(progress, message.matchIndex);
    if (progress.mode === 'snapshot') restartProbe(progress, progress.matchIndex + 1);
    if (moved) this.maybeCommit();
    if (moved && this.role === 'leader') this.membership.advance();
    if (this.role === 'leader') this.sendPending(message.from);
    this.confirmReads();
  }

  /**
   * The follower's log ends before what it acknowledged: a late reply, or a node that lost its
   * disk. Lowering matchIndex is always safe (it only delays commits) and lets replication resume.
   */
  private forgetMatch(peer: NodeId, progress: FollowerProgress, conflictIndex: number): void {
    this.logEvent('follower log shorter than acknowledged', { follower: peer, matchIndex: progress.matchIndex, followerLastIndex: conflictIndex - 1 });
    progress.matchIndex = conflictIndex - 1;
    progress.inflight = [];
  }

  private noteFollowerAlive(progress: FollowerProgress, readRound: number): void {
    progress.recentlyActive = true;
    progress.ackedReadRound = Math.max(progress.ackedReadRound, readRound);
  }

  // ---- Replication (leader) ------------------------------------------------------------------

  private replicateToAll(): void {
    const quorumFollowers = this.quorumFollowers();
    for (const peer of this.others) if (this.sendsAtOnce(peer, quorumFollowers)) this.sendPending(peer);
  }

  /**
   * The voters a commit needs beside this leader, among those in replicate mode: first those
   * already sent the whole log (so a reply from another follower while the last write is on its
   * way does not send that write a second time), then those with the fewest messages
   * unacknowledged (a dead or slow follower's pile up, so the next write passes it over), then
   * in name order.
   */
  private quorumFollowers(): NodeId[] {
    const lastIndex = this.log.lastIndex();
    const candidates = this.voters.filter((voter) => voter !== this.config.id && this.progress.get(voter)?.mode === 'replicate');
    const sentAll = (voter: NodeId) => Number(this.progress.get(voter)!.nextIndex > lastIndex);
    const inflight = (voter: NodeId) => this.progress.get(voter)!.inflight.length;
    candidates.sort((left, right) => sentAll(right) - sentAll(left) || inflight(left) - inflight(right));
    return candidates.slice(0, this.quorum - 1);
  }

  /**
   * Whether what `peer` lacks goes out now rather than with its next heartbeat. Each new entry goes
   * at once only to the followers a commit needs (quorumFollowers); the other voters get what they
   * lack with each heartbeat (not with a read round), many entries in one message and so one
   * fsync, instead of one fsync per entry that competes with the fsyncs a commit waits for (three
   * nodes on one disk: README "Where a put's time goes"). Which entries commit, and when it is
   * safe to, does not change: only when a follower is sent them. Never deferred: a follower
   * being probed or sent a snapshot, one more than a message behind, a learner, and everyone
   * while a configuration change is uncommitted or this leader is not a voter.
   */
  private sendsAtOnce(peer: NodeId, quorumFollowers: readonly NodeId[]): boolean {
    const progress = this.progress.get(peer);
    if (progress === undefined || progress.mode !== 'replicate') return true;
    if (!this.isVoter() || !this.voters.includes(peer) || this.configurations.latest().index > this.commitIndex) return true;
    if (this.log.lastIndex() - progress.matchIndex > this.config.maxEntriesPerMessage) return true;
    return quorumFollowers.includes(peer);
  }

  /** Send what the follower lacks, as far as flow control allows. */
  private sendPending(peer: NodeId): void {
    const progress = this.progress.get(peer);
    if (progress === undefined) return; // no longer replicated to (removed by the commit this reply caused)
    for (let sent = 0; sent <= this.maxInflight; sent += 1) {
      const wantsEntries = progress.nextIndex <= this.log.lastIndex() || progress.nextIndex <= this.log.snapshotIndex;
      if (!wantsEntries || !canSendEntries(progress, this.maxInflight)) return;
      this.sendAppend(peer, false);
    }
  }

  /**
   * One message to `peer`: InstallSnapshot when it needs compacted entries, else AppendEntries
   * from nextIndex. A heartbeat always sends (empty when flow control holds entries back).
   */
  private sendAppend(peer: NodeId, heartbeat: boolean): void {
    const progress = this.progress.get(peer)!;
    if (progress.mode === 'snapshot' || progress.nextIndex <= this.log.snapshotIndex) {
      this.sendSnapshotOrKeepAlive(peer, progress, heartbeat);
      return;
    }
    if (heartbeat && progress.mode === 'replicate' && progress.inflight.length > 0) {
      this.sendKeepAlive(peer, progress);
      return;
    }
    const entries = canSendEntries(progress, this.maxInflight)
      ? this.log.slice(progress.nextIndex, progress.nextIndex + this.config.maxEntriesPerMessage - 1)
      : [];
    if (!heartbeat && entries.length === 0) return;
    this.sendAppendEntries(peer, progress.nextIndex - 1, entries);
    if (entries.length === 0) return;
    if (progress.mode === 'replicate') {
      const last = entries[entries.length - 1]!.index;
      progress.inflight.push(last);
      progress.nextIndex = last + 1;
    } else {
      progress.probeSent = true;
    }
  }

  /** The periodic message to a follower; also resends a probe or pipeline that made no progress. */
  private heartbeat(peer: NodeId): void {
    const progress = this.progress.get(peer)!;
    if (progress.mode === 'probe') progress.probeSent = false;
    if (progress.mode === 'replicate' && progress.inflight.length > 0) {
      progress.heartbeatsWithoutProgress = progress.matchIndex === progress.matchIndexAtHeartbeat ? progress.heartbeatsWithoutProgress + 1 : 0;
      progress.matchIndexAtHeartbeat = progress.matchIndex;
      if (progress.heartbeatsWithoutProgress >= stalledHeartbeats) {
        // Nothing acknowledged for a while: assume a message was lost and probe again.
        restartProbe(progress, progress.matchIndex + 1);
      }
    }
    this.sendAppend(peer, true);
  }

  /** An empty AppendEntries at a point the follower is known to match: confirms reads and commit. */
  private sendKeepAlive(peer: NodeId, progress: FollowerProgress): void {
    const prevIndex = this.log.term(progress.matchIndex) === undefined ? progress.nextIndex - 1 : progress.matchIndex;
    this.sendAppendEntries(peer, prevIndex, []);
  }

  private sendSnapshotOrKeepAlive(peer: NodeId, progress: FollowerProgress, heartbeat: boolean): void {
    const resendDue = this.tickCount - progress.snapshotSentTick >= this.config.electionTimeoutTicksMin;
    if (progress.mode !== 'snapshot' || (heartbeat && resendDue)) {
      this.sendSnapshot(peer, progress);
    } else if (heartbeat) {
      this.sendAppendEntries(peer, this.log.snapshotIndex, []);
    }
  }

  private sendSnapshot(peer: NodeId, progress: FollowerProgress): void {
    const snapshot = this.snapshot;
    if (snapshot === null) {
      throw new Error(`raft core ${this.config.id}: follower ${peer} needs index ${progress.nextIndex} but the log starts at ${this.log.firstIndex()} and no snapshot exists`);
    }
    progress.mode = 'snapshot';
    progress.snapshotSentTick = this.tickCount;
    progress.inflight = [];
    this.logEvent('snapshot sent', { to: peer, lastIncludedIndex: snapshot.lastIncludedIndex });
    this.send({ type: 'InstallSnapshot', from: this.config.id, to: peer, term: this.term, snapshot, readRound: this.reads.currentRound });
  }

  private sendAppendEntries(peer: NodeId, prevLogIndex: number, entries: LogEntry[]): void {
    this.send(
      {
        type: 'AppendEntries',
        from: this.config.id,
        to: peer,
        term: this.term,
        prevLogIndex,
        prevLogTerm: this.log.term(prevLogIndex)!,
        entries,
        leaderCommit: Math.min(this.commitIndex, prevLogIndex + entries.length),
        readRound: this.reads.currentRound,
      },
      this.config.appendInParallel === true,
    );
  }

  /** The shell's report that our log is durable up to `index`: the leader may count itself that far. */
  private onPersisted(index: number, term: number): void {
    if (this.role !== 'leader' || term !== this.term || index <= this.durableIndex) return;
    if (index > this.log.lastIndex() || this.log.term(index) !== term) return;
    this.durableIndex = index;
    this.maybeCommit();
  }

  /** Commit the highest index a quorum holds, if it is of the current term (Raft §5.4.2). */
  private maybeCommit(): void {
    if (this.role !== 'leader') return;
    const own = this.config.appendInParallel === true ? this.durableIndex : this.log.lastIndex();
    const candidate = this.quorumOf(own, (progress) => progress.matchIndex);
    if (candidate <= this.commitIndex) return;
    const entryTerm = this.log.term(candidate);
    if (entryTerm !== this.term && !this.config.bugs.commitOldTermByCounting) return;
    if (!this.firstCommitLogged) {
      // The moment a new leader's log is known committed (normally its no-op); people follow
      // failovers by it, and the harness checks from it that the entry is of the leader's term.
      this.firstCommitLogged = true;
      this.logEvent('leader first commit', { term: this.term, index: candidate, entryTerm, previousCommitIndex: this.commitIndex });
    }
    const previousCommitIndex = this.commitIndex;
    this.commitIndex = candidate;
    this.applyCommitted();
    this.afterCommit(previousCommitIndex);
  }

  // ---- Apply and snapshots ---------------------------------------------------------------------

  private applyCommitted(): void {
    while (this.lastApplied < this.commitIndex) {
      const entry = this.log.entry(this.lastApplied + 1);
      if (entry === undefined) {
        throw new Error(`raft core ${this.config.id}: committed index ${this.lastApplied + 1} is missing from the log (first ${this.log.firstIndex()}, last ${this.log.lastIndex()})`);
      }
      const result = this.kv.apply(entry.command);
      this.lastApplied = entry.index;
      const write = this.pendingWrites.get(entry.index);
      if (write !== undefined) {
        this.pendingWrites.delete(entry.index);
        const response = write.term === entry.term ? writeResponse(write.id, result, entry.term, entry.index) : unavailableResponse(write.id);
        this.reply(write.ref, response);
      }
    }
    this.maybeTakeSnapshot();
    this.serveReads();
  }

  private maybeTakeSnapshot(): void {
    const threshold = this.config.snapshotThresholdEntries;
    if (threshold < 1 || this.lastApplied - this.log.snapshotIndex < threshold) return;
    const snapshot: Snapshot = {
      lastIncludedIndex: this.lastApplied,
      lastIncludedTerm: this.log.term(this.lastApplied)!,
      configuration: this.configurations.at(this.lastApplied),
      data: this.kv.snapshotData(),
    };
    this.log.compactTo(snapshot.lastIncludedIndex, snapshot.lastIncludedTerm);
    this.configurations.compactedTo(snapshot.lastIncludedIndex);
    this.snapshot = snapshot;
    this.out.push({ type: 'saveSnapshot', snapshot });
    this.logEvent('snapshot taken', { lastIncludedIndex: snapshot.lastIncludedIndex, lastIncludedTerm: snapshot.lastIncludedTerm });
  }

  // ---- Reads ---------------------------------------------------------------------------------

  private confirmReads(): void {
    if (this.role !== 'leader' || this.reads.isEmpty()) return;
    this.reads.confirm(this.quorumOf(this.reads.currentRound, (progress) => progress.ackedReadRound));
    this.serveReads();
    if (this.reads.wantsRound()) this.startReadRound();
  }

  /**
   * Asks every follower to confirm this leadership for the reads waiting. A follower whose
   * entries are deferred (sendsAtOnce) gets an empty AppendEntries, not what it lacks: reads come
   * far more often than heartbeats, and with the entries each read round would cost it an fsync
   * per write again. Its entries keep going with the heartbeats, so a read round does not restart
   * the heartbeat interval.
   */
  private startReadRound(): void {
    // Reading needs an entry of our term committed: until then readIndex is our noop.
    this.reads.startRound(Math.max(this.commitIndex, this.termStartIndex));
    const quorumFollowers = this.quorumFollowers();
    for (const peer of this.others) {
      if (this.sendsAtOnce(peer, quorumFollowers)) this.sendAppend(peer, true);
      else this.sendKeepAlive(peer, this.progress.get(peer)!);
    }
    if (this.voters.every((voter) => voter === this.config.id)) this.confirmReads();
  }

  private serveReads(): void {
    if (this.role !== 'leader') return;
    for (const read of this.reads.takeReady(this.lastApplied)) this.answerRead(read);
  }

  private answerRead(read: PendingRead): void {
    this.reply(read.ref, readResponse(read.id, this.kv.get(read.key)));
  }

  // ---- Client requests -----------------------------------------------------------------------

  private onRequest(ref: number, request: Request): void {
    if (request.op === 'status') {
      this.reply(ref, { id: request.id, ok: true, ...this.status() });
      return;
    }
    if (this.role !== 'leader') {
      this.reply(ref, notLeaderResponse(request.id, this.leaderId));
      return;
    }
    if (request.op === 'members' || request.op === 'add-member' || request.op === 'remove-member') {
      this.membership.request(ref, request as MembershipRequest);
      return;
    }
    if (request.op === 'get') {
      this.onGet(ref, request.id, request.key);
      return;
    }
    this.onWrite(ref, request);
  }

  private onGet(ref: number, id: number, key: string): void {
    if (this.config.bugs.staleReads) {
      this.reply(ref, readResponse(id, this.kv.get(key)));
      return;
    }
    this.reads.add(ref, id, key, this.tickCount + this.config.requestTimeoutTicks);
    if (this.reads.wantsRound()) this.startReadRound();
  }

  private onWrite(ref: number, request: WriteRequest): void {
    const entry = this.appendLocal(commandOf(request));
    if (this.config.bugs.ackBeforeCommit) {
      this.reply(ref, { id: request.id, ok: true, term: entry.term, index: entry.index });
    } else {
      this.pendingWrites.set(entry.index, { ref, id: request.id, term: entry.term, deadlineTick: this.tickCount + this.config.requestTimeoutTicks });
    }
    this.replicateToAll();
    this.maybeCommit();
  }

  private appendLocal(command: Command): LogEntry {
    const entry: LogEntry = { index: this.log.lastIndex() + 1, term: this.term, command };
    this.log.append(entry);
    this.out.push({ type: 'appendEntries', entries: [entry] });
    if (this.configurations.appended(entry)) this.refreshMembership();
    return entry;
  }

  // ---- Output --------------------------------------------------------------------------------

  private send(message: RaftMessage, beforeDurable = false): void {
    this.out.push(beforeDurable ? { type: 'send', message, beforeDurable } : { type: 'send', message });
  }

  private reply(ref: number, response: Response): void {
    this.out.push({ type: 'reply', ref, response });
  }

  private logEvent(event: string, fields: Record<string, unknown>): void {
    this.out.push({ type: 'log', event, fields: { node: this.config.id, ...fields } });
  }
}
