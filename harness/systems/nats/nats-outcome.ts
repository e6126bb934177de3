// Pure: a failed NATS call to an OperationFailure, classified as SPEC section 1 does. Only a
// JetStream API answer that the write was refused is definite; a timeout, a lost or closed
// connection, or anything unrecognised may have taken effect.

import { operationFailure, type OperationFailure } from '../../../raft/client/operation-result.js';

/** JetStream's error code for a publish whose expected last sequence did not match. */
export const wrongLastSequenceCode = 10071;

interface NatsErrorShape {
  code?: unknown;
  message?: unknown;
  api_error?: { err_code?: unknown; description?: unknown };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function isWrongLastSequence(error: unknown): boolean {
  return (error as NatsErrorShape | undefined)?.api_error?.err_code === wrongLastSequenceCode;
}

export function natsFailure(error: unknown, node: string | undefined): OperationFailure {
  const code = (error as NatsErrorShape | undefined)?.code;
  const fields = { message: `nats: ${describe(error)}`, ...(node === undefined ? {} : { node }) };
  if (isWrongLastSequence(error)) return operationFailure('cas_mismatch', fields);
  if (code === 'TIMEOUT' || code === '408') return operationFailure('no_response', fields);
  if (code === 'CONNECTION_CLOSED' || code === 'DISCONNECT' || code === 'CONNECTION_REFUSED' || code === 'CONNECTION_TIMEOUT') {
    return operationFailure('connection_lost', fields);
  }
  return operationFailure('unavailable', fields);
}
