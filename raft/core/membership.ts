// The leader's side of membership changes (Raft thesis chapter 4, one server at a time):
// `add-member` appends a configuration with the node as a learner, waits for it to commit and
// for the learner to catch up (its log reaches the commit index, by snapshot and entries), then
// appends one promoting it to voter; `remove-member` appends one without the node. A change
// starts only when no configuration entry is uncommitted and this leader has committed an entry
// of its own term (its noop); requests wait in arrival order until then. Each is answered once
// its last configuration entry commits (definite `ok`), or `timeout` / `unavailable`.
import type { MemberStatus, Request, Response } from '../protocol/registry.js';
import { timeoutResponse, unavailableResponse } from './client-responses.js';
import type { ConfigurationAt } from './configuration-history.js';
import { isMember, isVoter, withLearner, withVoter, without } from './configuration.js';
import type { Configuration, NodeId } from './types.js';

export type MembershipRequest = Extract<Request, { op: 'members' | 'add-member' | 'remove-member' }>;

/** What the node lends to the membership logic. */
export interface MembershipHost {
  nodeId(): NodeId;
  latest(): ConfigurationAt;
  commitIndex(): number;
  /** Index of this leader's noop. */
  termStartIndex(): number;
  tick(): number;
  matchIndexOf(peer: NodeId): number;
  /** Append a configuration entry and replicate it; returns its position. */
  appendConfiguration(configuration: Configuration): { index: number; term: number };
  reply(ref: number, response: Response): void;
  logEvent(event: string, fields: Record<string, unknown>): void;
}

type Stage = 'waiting' | 'learner' | 'catching-up' | 'voter' | 'removal';

interface Change {
  ref: number;
  id: number;
  kind: 'add' | 'remove';
  node: NodeId;
  address: string;
  deadlineTick: number;
  stage: Stage;
  /** The configuration entry this stage waits to see committed (index 0: none yet). */
  entryIndex: number;
  entryTerm: number;
}

export class MembershipChanges {
  private changes: Change[] = [];

  constructor(
    private readonly host: MembershipHost,
    /** Bug mode: no waiting for the noop or for the previous change to commit. */
    private readonly unsafe: boolean,
    /** Ticks a client waits for its change before it is answered `timeout`. */
    private readonly timeoutTicks: number,
  ) {}

  /** This node's view of the latest configuration, as `status` and `members` report it. */
  memberList(configuration: Configuration): MemberStatus[] {
    const member = (id: NodeId, role: MemberStatus['role']): MemberStatus => ({ id, address: configuration.addresses[id] ?? null, role });
    return [...configuration.voters.map((id) => member(id, 'voter')), ...configuration.learners.map((id) => member(id, 'learner'))];
  }

  /** A membership request reaching the leader. */
  request(ref: number, request: MembershipRequest): void {
    if (request.op === 'members') {
      const latest = this.host.latest();
      this.host.reply(ref, { id: request.id, ok: true, leader: this.host.nodeId(), configurationIndex: latest.index, committed: latest.index <= this.host.commitIndex(), members: this.memberList(latest.configuration) });
      return;
    }
    const refusal = this.refusal(request);
    if (refusal !== null) {
      this.host.reply(ref, { id: request.id, ok: false, error: 'bad_request', message: refusal });
      return;
    }
    const address = request.op === 'add-member' ? request.address : '';
    const kind = request.op === 'add-member' ? 'add' : 'remove';
    this.changes.push({ ref, id: request.id, kind, node: request.node, address, deadlineTick: this.host.tick() + this.timeoutTicks, stage: 'waiting', entryIndex: 0, entryTerm: 0 });
    this.advance();
  }

  /** Move every pending change as far as the commit index and the learners' progress allow. */
  advance(): void {
    for (const change of [...this.changes]) {
      if (this.changes.includes(change)) this.advanceChange(change);
    }
  }

  /** Answer `timeout` to changes whose client stopped waiting; a learner already added stays a learner. */
  expire(): void {
    const tick = this.host.tick();
    for (const change of this.changes.filter((candidate) => candidate.deadlineTick <= tick)) this.finish(change, timeoutResponse(change.id));
  }

  /** Leadership lost: every pending change may or may not still take effect. */
  abandon(): void {
    for (const change of [...this.changes]) this.finish(change, unavailableResponse(change.id));
  }

  /** A new leadership starts with nothing pending. */
  reset(): void {
    this.changes = [];
  }

  private refusal(request: Extract<MembershipRequest, { op: 'add-member' | 'remove-member' }>): string | null {
    if (request.node.trim().length === 0 || /[\s=,]/.test(request.node)) return `${request.op}: node ${JSON.stringify(request.node)} must be a non-empty name without spaces, "=" or ","`;
    if (request.op === 'add-member') return null;
    const voters = this.host.latest().configuration.voters;
    if (voters.length === 1 && voters[0] === request.node) return `remove-member: ${request.node} is the only voter; add another member first`;
    return null;
  }

  /** No uncommitted configuration, and this leader's noop committed (unless the bug mode is on). */
  private mayChange(): boolean {
    if (this.unsafe) return true;
    const commitIndex = this.host.commitIndex();
    return commitIndex >= this.host.termStartIndex() && this.host.latest().index <= commitIndex;
  }

  private advanceChange(change: Change): void {
    if (change.stage === 'waiting') {
      if (this.mayChange()) this.start(change);
      return;
    }
    const committed = change.entryIndex <= this.host.commitIndex();
    if (change.stage === 'learner' && committed) change.stage = 'catching-up';
    if (change.stage === 'catching-up') this.promoteWhenCaughtUp(change);
    else if ((change.stage === 'voter' || change.stage === 'removal') && committed) this.succeed(change);
  }

  private start(change: Change): void {
    const configuration = this.host.latest().configuration;
    if (change.kind === 'remove') {
      if (!isMember(configuration, change.node)) this.succeed(change);
      else this.appendFor(change, 'removal', without(configuration, change.node));
      return;
    }
    if (isVoter(configuration, change.node)) this.succeed(change);
    else if (isMember(configuration, change.node) && configuration.addresses[change.node] === change.address) change.stage = 'catching-up';
    else this.appendFor(change, 'learner', withLearner(configuration, change.node, change.address));
    if (change.stage === 'catching-up') this.promoteWhenCaughtUp(change);
  }

  private promoteWhenCaughtUp(change: Change): void {
    const configuration = this.host.latest().configuration;
    if (!isMember(configuration, change.node)) {
      this.finish(change, unavailableResponse(change.id));
      return;
    }
    if (isVoter(configuration, change.node)) {
      this.succeed(change);
      return;
    }
    if (this.host.matchIndexOf(change.node) < this.host.commitIndex() || !this.mayChange()) return;
    this.appendFor(change, 'voter', withVoter(configuration, change.node));
  }

  private appendFor(change: Change, stage: Stage, configuration: Configuration): void {
    change.stage = stage;
    // What the two safety rules look at, as they stood when the entry was appended: the harness
    // checks them from the log (membership-change-rule), since clients rarely see them broken.
    const rule = { commitIndex: this.host.commitIndex(), previousConfigurationIndex: this.host.latest().index, termStartIndex: this.host.termStartIndex() };
    const entry = this.host.appendConfiguration(configuration);
    change.entryIndex = entry.index;
    change.entryTerm = entry.term;
    this.host.logEvent('membership change appended', { op: change.kind, member: change.node, stage, term: entry.term, index: change.entryIndex, ...rule, voters: configuration.voters, learners: configuration.learners });
  }

  /** `ok`, with the position of the entry that made the change (none when nothing needed changing). */
  private succeed(change: Change): void {
    const members = this.memberList(this.host.latest().configuration);
    const position = change.entryIndex > 0 ? { term: change.entryTerm, index: change.entryIndex } : {};
    this.finish(change, { id: change.id, ok: true, ...position, members });
  }

  private finish(change: Change, response: Response): void {
    this.changes = this.changes.filter((candidate) => candidate !== change);
    this.host.reply(change.ref, response);
  }
}
