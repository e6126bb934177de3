// Pure: a failed ZooKeeper call to an OperationFailure, classified as SPEC section 1 does. A
// lost connection, an expired session and a deadline the client gave up at may all hide a
// write that took effect: indefinite. Version and existence conflicts are handled by the
// client before they get here.

import { operationFailure, type OperationFailure } from '../../../raft/client/operation-result.js';

/** ZooKeeper's error codes (org.apache.zookeeper.KeeperException.Code). */
export const zookeeperCodes = {
  connectionLoss: -4,
  operationTimeout: -7,
  noNode: -101,
  badVersion: -103,
  nodeExists: -110,
  sessionExpired: -112,
} as const;

export function zookeeperCode(error: unknown): number | undefined {
  const code = (error as { getCode?: () => unknown } | undefined)?.getCode?.();
  return typeof code === 'number' ? code : undefined;
}

export function zookeeperFailure(error: unknown, node: string | undefined): OperationFailure {
  const code = zookeeperCode(error);
  const message = `zookeeper: ${error instanceof Error ? error.message : String(error)}`;
  const fields = { message, ...(node === undefined ? {} : { node }) };
  if (code === zookeeperCodes.connectionLoss || code === zookeeperCodes.sessionExpired) return operationFailure('connection_lost', fields);
  if (code === zookeeperCodes.operationTimeout) return operationFailure('no_response', fields);
  return operationFailure('unavailable', fields);
}
