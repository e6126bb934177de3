// The pure half of the client's retry loop: given one node's reply to one attempt, either the
// operation is over (a success, or a failure to hand back) or the client moves on to another node.

import { isDefinite } from '../protocol/registry.js';
import type { ConnectionReply } from './node-connection.js';
import { operationFailure, type OperationFailure, type OperationResult } from './operation-result.js';

export type AttemptDecision =
  | { kind: 'done'; result: OperationResult }
  | {
      kind: 'next';
      /** The leader the node named in a `not_leader` answer, if any. */
      leaderHint: string | null;
      /** Set when this attempt may have taken effect (only when indefinite retries are allowed). */
      indefinite: OperationFailure | null;
      /** One line for the `no_leader` message: what this node answered. */
      evidence: string;
    };

/**
 * `retryIndefinite`: whether an attempt that may have taken effect may be repeated elsewhere
 * (reads, and writes carrying client and seq). Definite `not_leader` answers and requests that
 * never reached a connected socket always move on.
 */
export function decideAfterAttempt(node: string, reply: ConnectionReply, retryIndefinite: boolean): AttemptDecision {
  if (reply.kind === 'transport') {
    if (!reply.sent) return { kind: 'next', leaderHint: null, indefinite: null, evidence: `${node}: not sent (${reply.message})` };
    return indefiniteDecision(operationFailure(reply.error, { node, message: reply.message }), retryIndefinite);
  }
  const response = reply.response;
  if (response.ok) {
    const result: OperationResult = { ok: true, node };
    if (response.value !== undefined) result.value = response.value;
    if (typeof response.term === 'number') result.term = response.term;
    if (typeof response.index === 'number') result.index = response.index;
    if (Array.isArray(response.members)) result.members = response.members;
    if (typeof response.committed === 'boolean') result.committed = response.committed;
    return { kind: 'done', result };
  }
  if (response.error === 'not_leader') {
    const leaderHint = typeof response.leader === 'string' ? response.leader : null;
    return { kind: 'next', leaderHint, indefinite: null, evidence: `${node}: not_leader (leader ${leaderHint ?? 'unknown'})` };
  }
  const failure = operationFailure(response.error, { node, message: response.message, value: response.value });
  if (isDefinite(response.error)) return { kind: 'done', result: failure };
  return indefiniteDecision(failure, retryIndefinite);
}

function indefiniteDecision(failure: OperationFailure, retryIndefinite: boolean): AttemptDecision {
  if (!retryIndefinite) return { kind: 'done', result: failure };
  const evidence = `${failure.node ?? '?'}: ${failure.error}${failure.message === undefined ? '' : ` (${failure.message})`}`;
  return { kind: 'next', leaderHint: null, indefinite: failure, evidence };
}

/**
 * The result to hand back when an earlier attempt may have taken effect: a later definite
 * failure (e.g. `cas_mismatch` against a server without de-duplication) cannot prove the
 * earlier attempt had no effect, so the outcome stays indefinite.
 */
export function keepIndefinite(result: OperationResult, earlier: OperationFailure | null): OperationResult {
  if (result.ok || !result.definite || earlier === null) return result;
  const message = `${earlier.message ?? earlier.error}; a retry then answered ${result.error} from ${result.node ?? '?'}`;
  return { ...earlier, message };
}
