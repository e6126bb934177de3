// Runs one planned operation on the client and maps the outcome to a history completion:
// success -> ok, definite failure -> fail, indefinite failure -> info (never the other way round).

import type { OperationResult } from '../../raft/client/operation-result.js';
import type { Completion } from '../history/history-recorder.js';
import type { EventValue } from '../history/history-event.js';
import type { PlannedOperation, ProcessMemory } from './choose-operation.js';
import type { WorkloadClient } from './workload-client.js';

export interface CompletedOperation {
  type: Completion;
  value: EventValue;
  error?: string;
  node?: string;
}

export function invokeValue(operation: PlannedOperation): EventValue {
  switch (operation.f) {
    case 'read':
      return null;
    case 'write':
      return operation.value;
    case 'cas':
      return [operation.from, operation.to];
    case 'delete':
      return null;
  }
}

export function send(client: WorkloadClient, operation: PlannedOperation): Promise<OperationResult> {
  switch (operation.f) {
    case 'read':
      return client.get(operation.key);
    case 'write':
      return client.put(operation.key, operation.value);
    case 'cas':
      return client.cas(operation.key, operation.from, operation.to);
    case 'delete':
      return client.delete(operation.key);
  }
}

export function classify(operation: PlannedOperation, result: OperationResult): CompletedOperation {
  if (result.ok) {
    const value = operation.f === 'read' ? (result.value ?? null) : invokeValue(operation);
    return { type: 'ok', value, node: result.node };
  }
  const completed: CompletedOperation = { type: result.definite ? 'fail' : 'info', value: invokeValue(operation), error: result.error };
  if (result.node !== undefined) completed.node = result.node;
  return completed;
}

/** What the process learns about the key from an outcome, for its next cas. */
export function remember(memory: ProcessMemory, operation: PlannedOperation, result: OperationResult): void {
  if (!result.ok) {
    if (result.error === 'cas_mismatch' && result.value !== undefined) memory.lastSeen.set(operation.key, result.value);
    return;
  }
  if (operation.f === 'read') memory.lastSeen.set(operation.key, result.value ?? null);
  if (operation.f === 'write') memory.lastSeen.set(operation.key, operation.value);
  if (operation.f === 'cas') memory.lastSeen.set(operation.key, operation.to);
  if (operation.f === 'delete') memory.lastSeen.set(operation.key, null);
}
