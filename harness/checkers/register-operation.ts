// One operation on one key, in the form the linearizability checkers search over.

import type { Operation } from '../history/operation.js';
import { operationRows, type OperationRows } from '../history/operation-rows.js';

export interface RegisterOperation {
  /** The operation's index in the whole history (Operation.index). */
  id: number;
  kind: 'read' | 'write' | 'cas' | 'delete';
  /** false: completed with `info` (or never), so it may take effect at any later time, or never. */
  ok: boolean;
  invokeNs: number;
  /** Infinity when not ok. */
  completeNs: number;
  /** read: the value read; write: the value; cas: the `to` value; delete: null. */
  value: string | null;
  /** cas only: the value it expects. */
  from: string | null;
}

/**
 * The operations of one key that constrain linearizability: definite failures never took effect and
 * are dropped; so are indefinite reads, which change nothing, and indefinite writes and cas whose
 * value no operation reads or replaces: taking effect, such a write could only be overwritten
 * unseen, so it can as well never have happened. (The search would otherwise try each of them at
 * every step.)
 */
export function toRegisterOperations(operations: readonly Operation[]): RegisterOperation[] {
  return registerOperationsOf(operationRows(operations));
}

/** toRegisterOperations of a key's rows, read through their view. */
export function registerOperationsOf(rows: OperationRows): RegisterOperation[] {
  const result: RegisterOperation[] = [];
  /** Indefinite writes and cas: dropped below if no operation reads or replaces what they write. */
  const maybeUnseen: RegisterOperation[] = [];
  for (let row = 0; row < rows.length; row++) {
    const operation = rows.view(row);
    if (operation.outcome === 'fail') continue;
    const ok = operation.outcome === 'ok';
    if (operation.f === 'read' && !ok) continue;
    const cas = operation.f === 'cas' ? (operation.value as [string | null, string]) : null;
    const value = cas ? cas[1] : operation.f === 'delete' ? null : (operation.value as string | null);
    const registerOperation: RegisterOperation = { id: operation.index, kind: operation.f, ok, invokeNs: operation.invokeNs, completeNs: ok ? operation.completeNs! : Infinity, value, from: cas ? cas[0] : null };
    result.push(registerOperation);
    if (!ok && operation.f !== 'delete') maybeUnseen.push(registerOperation);
  }
  if (maybeUnseen.length === 0) return result;
  const observed = observedValues(result);
  const unseen = new Set(maybeUnseen.map((operation) => operation.value).filter((value) => !observed.has(value)));
  return unseen.size === 0 ? result : result.filter((operation) => operation.ok || operation.kind === 'delete' || !unseen.has(operation.value));
}

/** The values some operation can observe: those reads return and those cas replace. */
export function observedValues(operations: readonly RegisterOperation[]): Set<string | null> {
  const observed = new Set<string | null>();
  for (const operation of operations) {
    if (operation.kind === 'read') observed.add(operation.value);
    else if (operation.kind === 'cas') observed.add(operation.from);
  }
  return observed;
}

/** The history cut at `cutNs`: later invokes dropped, operations still running at the cut become indefinite. */
export function truncateRegisterOperations(operations: readonly RegisterOperation[], cutNs: number): RegisterOperation[] {
  const result: RegisterOperation[] = [];
  for (const operation of operations) {
    if (operation.invokeNs > cutNs) continue;
    if (operation.completeNs <= cutNs) result.push(operation);
    else if (operation.kind !== 'read') result.push({ ...operation, ok: false, completeNs: Infinity });
  }
  return result;
}
