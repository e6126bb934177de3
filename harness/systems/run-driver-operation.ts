// The frame of every driver call: open (or reuse) the session, run the operation, and turn
// what it returns or throws into an OperationResult naming the node that answered.

import type { OperationFailure, OperationResult } from '../../raft/client/operation-result.js';

/** What an operation returns: a read value (success), or a finished result (a mismatch). */
export type DriverOutcome = { value?: string | null } | OperationResult;

export interface DriverSession<Session> {
  open(): Promise<Session>;
  /** The node the session talks to, when known. */
  nodeOf(session: Session): string | undefined;
  /** Classifies what a call threw. */
  failure(error: unknown, node: string | undefined): OperationFailure;
}

export async function runDriverOperation<Session>(
  driver: DriverSession<Session>,
  operation: (session: Session, node: string | undefined) => Promise<DriverOutcome>,
): Promise<OperationResult> {
  let session: Session;
  try {
    session = await driver.open();
  } catch (error) {
    return driver.failure(error, undefined);
  }
  const node = driver.nodeOf(session);
  try {
    const outcome = await operation(session, node);
    if ('ok' in outcome) return outcome;
    return { ok: true, node: node ?? 'unknown', ...outcome };
  } catch (error) {
    return driver.failure(error, node);
  }
}
