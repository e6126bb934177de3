// The responses the core sends to clients, in the shapes of raft/protocol/registry.ts.
import type { ErrorResponse, Response, SuccessResponse } from '../protocol/registry.js';
import type { NodeId, StateMachineResult } from './types.js';

export function notLeaderResponse(id: number, leader: NodeId | null): ErrorResponse {
  return { id, ok: false, error: 'not_leader', leader };
}

export function timeoutResponse(id: number): ErrorResponse {
  return { id, ok: false, error: 'timeout' };
}

export function unavailableResponse(id: number): ErrorResponse {
  return { id, ok: false, error: 'unavailable' };
}

export function readResponse(id: number, value: string | null): SuccessResponse {
  return { id, ok: true, value };
}

/** A committed write's outcome, with the log position that decided it. */
export function writeResponse(id: number, result: StateMachineResult, term: number, index: number): Response {
  if (result.ok) return { id, ok: true, term, index };
  return { id, ok: false, error: result.error, value: result.value };
}
