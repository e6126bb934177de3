// The client the workload uses for every operation against a Raft key-value cluster.
//
// Every call resolves (never rejects) to an OperationResult: a success, or a failure that is
// definite (certainly no effect) or indefinite (may have taken effect), classified by the
// protocol registry. The client finds the leader from any node and remembers it.
//
// Retry rules, all within `operationDeadlineMs` and at most `maxAttempts` attempts:
// 1. `not_leader` is definite: go to the node it names, or else the next node in turn.
// 2. A request that never reached a connected socket (connection refused, connect timed out)
//    had no effect: go to the next node.
// 3. After a full round of nodes without success, wait (10 ms, doubling up to 100 ms).
// 4. An indefinite failure (`timeout`, `unavailable`, `connection_lost`, `no_response`, or an
//    unknown error code) is retried elsewhere ONLY for `get` (no effect) and for writes that
//    carry (client, seq) — which they do only when `clientId` is set — retried with the SAME
//    (client, seq) so a de-duplicating server applies the write at most once. Otherwise the
//    indefinite failure is returned as it is; a `cas` without (client, seq) is never retried.
// 5. Once any attempt may have taken effect, the outcome stays indefinite: a later definite
//    failure, or running out of deadline, returns the indefinite failure, never a definite one.
// 6. Only when every attempt was definitely without effect does the call fail with the
//    definite client-side `no_leader`, naming what each node answered.
// `cas_mismatch` and `bad_request` end the call at once. `status(node)` asks one node, once.
// Membership changes (`addMember`, `removeMember`) are idempotent, so they are retried like reads.
//
// With `clientId` set, the client is one logical client in the de-duplication sense: its writes
// go one at a time, in call order, each with the next seq (the server keeps one seq per client).
// The id must be unique for the client's lifetime: a new RaftClient needs a new id.

import type { MemberStatus, StatusFields } from '../protocol/registry.js';
import { decideAfterAttempt, keepIndefinite } from './decide-after-attempt.js';
import { NodeConnection, type RequestBody } from './node-connection.js';
import { operationFailure, type OperationFailure, type OperationResult, type StatusResult } from './operation-result.js';

export interface RaftClientOptions {
  /** Node name -> `host:port` of its client port. */
  addresses: Record<string, string>;
  /** Longest wait for one answer from one node. */
  requestTimeoutMs: number;
  /** Longest time one call may take, retries included (default: max(3 × requestTimeoutMs, 5000)). */
  operationDeadlineMs?: number;
  /** Opt-in de-duplication: writes carry this id and a per-call seq, and become retryable. */
  clientId?: string;
  /** Most attempts per call (default 100). */
  maxAttempts?: number;
}

/** The longest a call takes when `operationDeadlineMs` is not given. */
export function defaultOperationDeadlineMs(requestTimeoutMs: number): number {
  return Math.max(3 * requestTimeoutMs, 5000);
}

const backoffMsMin = 10;
/** No new attempt is started with less time than this left before the operation's deadline. */
const minimumAttemptMs = 50;
const backoffMsMax = 100;

export class RaftClient {
  readonly nodes: readonly string[];
  #options: RaftClientOptions;
  #connections = new Map<string, NodeConnection>();
  #leader: string | null = null;
  #cursor = 0;
  #nextSeq = 1;
  #writeQueue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: RaftClientOptions) {
    this.nodes = Object.keys(options.addresses);
    if (this.nodes.length === 0) throw new Error('RaftClient: `addresses` names no node; give at least one node name -> host:port');
    if (!(options.requestTimeoutMs > 0)) throw new Error(`RaftClient: requestTimeoutMs must be a positive number of milliseconds, got ${options.requestTimeoutMs}`);
    this.#options = options;
    for (const [node, address] of Object.entries(options.addresses)) {
      this.#connections.set(node, new NodeConnection({ address, requestTimeoutMs: options.requestTimeoutMs }));
    }
  }

  /** The node the client currently believes is the leader. */
  get leader(): string | null {
    return this.#leader;
  }

  get(key: string): Promise<OperationResult> {
    return this.#run({ op: 'get', key }, true);
  }

  put(key: string, value: string): Promise<OperationResult> {
    return this.#write({ op: 'put', key, value });
  }

  cas(key: string, from: string | null, to: string): Promise<OperationResult> {
    return this.#write({ op: 'cas', key, from, to });
  }

  delete(key: string): Promise<OperationResult> {
    return this.#write({ op: 'delete', key });
  }

  /** The leader's latest configuration (`members`, `committed`). */
  members(): Promise<OperationResult> {
    return this.#run({ op: 'members' }, true);
  }

  /**
   * Adds `node` (peers reach it at `address`): a learner first, a voter once caught up. Retried
   * after indefinite failures too: adding a member twice changes nothing.
   */
  addMember(node: string, address: string): Promise<OperationResult> {
    return this.#run({ op: 'add-member', node, address }, true);
  }

  /** Removes `node` (the leader included). Retried after indefinite failures too: removing twice changes nothing. */
  removeMember(node: string): Promise<OperationResult> {
    return this.#run({ op: 'remove-member', node }, true);
  }

  /** Asks one node for its view of the cluster; no retries. */
  async status(node: string): Promise<StatusResult> {
    const connection = this.#connection(node);
    const reply = await connection.request({ op: 'status' });
    const decision = decideAfterAttempt(node, reply, false);
    if (decision.kind === 'next') return operationFailure(reply.kind === 'transport' ? reply.error : 'not_leader', { node, message: decision.evidence });
    const result = decision.result;
    if (!result.ok) return result;
    if (reply.kind !== 'response') return operationFailure('no_response', { node });
    return { ...result, status: statusFields(reply.response as Record<string, unknown>, node) };
  }

  /** Asks every node for its status and returns the leader of the highest term, or null. */
  async findLeader(): Promise<string | null> {
    const answers = await Promise.all(this.nodes.map((node) => this.status(node)));
    let best: StatusFields | null = null;
    for (const answer of answers) {
      if (!answer.ok || answer.status.role !== 'leader') continue;
      if (best === null || answer.status.term > best.term) best = answer.status;
    }
    if (best !== null) this.#leader = best.node;
    return best?.node ?? null;
  }

  /** Closes every connection; calls in flight resolve as indefinite `connection_lost`. */
  close(): void {
    this.#closed = true;
    for (const connection of this.#connections.values()) connection.close();
  }

  #write(body: RequestBody): Promise<OperationResult> {
    const clientId = this.#options.clientId;
    if (clientId === undefined) return this.#run(body, false);
    const run = this.#writeQueue.then(() => this.#run({ ...body, client: clientId, seq: this.#nextSeq++ } as RequestBody, true));
    this.#writeQueue = run.catch(() => undefined);
    return run;
  }

  async #run(body: RequestBody, retryIndefinite: boolean): Promise<OperationResult> {
    if (this.#closed) return operationFailure('connection_lost', { message: `RaftClient was closed before ${body.op} was sent` });
    const deadlineMs = this.#options.operationDeadlineMs ?? defaultOperationDeadlineMs(this.#options.requestTimeoutMs);
    const deadline = performance.now() + deadlineMs;
    const maxAttempts = this.#options.maxAttempts ?? 100;
    const evidence = new Map<string, string>();
    let earlier: OperationFailure | null = null;
    let target: string | null = this.#leader;
    let backoffMs = backoffMsMin;
    for (let attempt = 1; attempt <= maxAttempts && !this.#closed; attempt++) {
      const remainingMs = deadline - performance.now();
      // An attempt with almost no time left would only turn a definite outcome into a timeout.
      if (remainingMs < Math.min(this.#options.requestTimeoutMs, minimumAttemptMs)) break;
      const node = target ?? this.#nextNode();
      const reply = await this.#connection(node).request(body, Math.min(this.#options.requestTimeoutMs, Math.ceil(remainingMs)));
      const decision = decideAfterAttempt(node, reply, retryIndefinite);
      if (decision.kind === 'done') return this.#finish(node, keepIndefinite(decision.result, earlier));
      evidence.set(node, decision.evidence);
      earlier = decision.indefinite ?? earlier;
      target = this.#followHint(node, decision.leaderHint);
      if (attempt % this.nodes.length === 0) {
        await sleep(Math.min(backoffMs, Math.max(0, deadline - performance.now())));
        backoffMs = Math.min(backoffMs * 2, backoffMsMax);
      }
    }
    return earlier ?? noLeader(body.op, deadlineMs, evidence);
  }

  #finish(node: string, result: OperationResult): OperationResult {
    if (result.ok) this.#leader = node;
    else if (!result.definite && this.#leader === node) this.#leader = null;
    return result;
  }

  /** Remembers a hinted leader; returns the node to try next (null: the next in turn). */
  #followHint(node: string, hint: string | null): string | null {
    const usable = hint !== null && hint !== node && this.#connections.has(hint) ? hint : null;
    if (this.#leader === node || usable !== null) this.#leader = usable;
    return usable;
  }

  #nextNode(): string {
    const node = this.nodes[this.#cursor % this.nodes.length]!;
    this.#cursor = (this.#cursor + 1) % this.nodes.length;
    return node;
  }

  #connection(node: string): NodeConnection {
    const connection = this.#connections.get(node);
    if (connection === undefined) throw new Error(`RaftClient: unknown node "${node}"; known nodes: ${this.nodes.join(', ')}`);
    return connection;
  }
}

function noLeader(op: string, deadlineMs: number, evidence: Map<string, string>): OperationFailure {
  const answers = [...evidence.values()].join('; ');
  const message = `no node accepted ${op} as leader within ${deadlineMs} ms; last answers: ${answers || 'none'}`;
  return operationFailure('no_leader', { message });
}

function statusFields(response: Record<string, unknown>, node: string): StatusFields {
  return {
    node: typeof response.node === 'string' ? response.node : node,
    role: response.role === 'leader' || response.role === 'candidate' ? response.role : 'follower',
    term: typeof response.term === 'number' ? response.term : 0,
    leader: typeof response.leader === 'string' ? response.leader : null,
    commitIndex: typeof response.commitIndex === 'number' ? response.commitIndex : 0,
    lastApplied: typeof response.lastApplied === 'number' ? response.lastApplied : 0,
    lastLogIndex: typeof response.lastLogIndex === 'number' ? response.lastLogIndex : 0,
    ...(typeof response.configurationIndex === 'number' ? { configurationIndex: response.configurationIndex } : {}),
    ...(Array.isArray(response.members) ? { members: response.members as MemberStatus[] } : {}),
  };
}

function sleep(delayMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, delayMs));
}
