// Pure: an etcd client error as an OperationFailure. Only a failed compare is definite (it is not
// an error at all in etcd: the transaction answers `succeeded: false`); a deadline, a lost
// connection, "request timed out", "leader changed" or anything else may have taken effect.

import { GRPCDeadlineExceededError } from 'etcd3';
import { operationFailure, type OperationFailure } from '../../../raft/client/operation-result.js';

export function etcdFailure(error: unknown): OperationFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof GRPCDeadlineExceededError || /deadline exceeded/i.test(message)) return operationFailure('no_response', { message });
  if (/request timed out/i.test(message)) return operationFailure('timeout', { message });
  return operationFailure('unavailable', { message });
}
