// Every value a read returned was written to that key by some write or cas that did not
// definitely fail.

import { groupByKey } from '../history/group-by-key.js';
import type { Operation } from '../history/operation.js';
import { operationRows, type OperationRows } from '../history/operation-rows.js';
import { operationEvidence } from './operation-evidence.js';
import { formatSeconds } from './format-seconds.js';
import type { Verdict } from './verdict.js';

export function checkNoPhantomValues(operations: readonly Operation[]): Verdict {
  const check = new NoPhantomValuesCheck();
  for (const keyOperations of groupByKey(operations).values()) check.addKey(operationRows(keyOperations));
  return check.finish();
}

/** The phantom reads of one key: the first (by index), the failed write of its value if any, and how many. */
interface KeyPhantoms {
  first: Operation;
  failed: Operation | undefined;
  count: number;
}

/** The check one key at a time (its operations in order of invocation), for streamed histories. */
export class NoPhantomValuesCheck {
  #first: KeyPhantoms | undefined;
  #count = 0;

  addKey(keyOperations: OperationRows): void {
    const phantoms = keyPhantoms(keyOperations);
    if (phantoms === null) return;
    this.#count += phantoms.count;
    if (this.#first === undefined || phantoms.first.index < this.#first.first.index) this.#first = phantoms;
  }

  finish(): Verdict {
    if (this.#first === undefined) return { check: 'no-phantom-values', valid: true, summary: 'every value read was written' };
    const { first, failed } = this.#first;
    const because = failed === undefined ? 'a value no operation wrote' : `a value only a failed ${failed.f} by process ${failed.process} tried to write`;
    return {
      check: 'no-phantom-values',
      valid: false,
      summary: `phantom value on ${first.key}: process ${first.process} read ${first.value as string} at ${formatSeconds(first.invokeNs)}, ${because}`,
      evidence: { key: first.key, value: first.value, operations: [operationEvidence(first), ...(failed ? [operationEvidence(failed)] : [])], phantomReads: this.#count },
    };
  }
}

export function keyPhantoms(rows: OperationRows): KeyPhantoms | null {
  const written = new Set<string>();
  /** Values only failed operations wrote, with the row of the last of them. */
  const failedOnly = new Map<string, number>();
  for (let row = 0; row < rows.length; row++) {
    const operation = rows.view(row);
    const value = operation.f === 'write' ? (operation.value as string) : operation.f === 'cas' ? (operation.value as [string | null, string])[1] : null;
    if (value === null) continue;
    if (operation.outcome === 'fail') failedOnly.set(value, row);
    else written.add(value);
  }
  let first = -1;
  let count = 0;
  for (let row = 0; row < rows.length; row++) {
    const operation = rows.view(row);
    if (operation.f !== 'read' || operation.outcome !== 'ok' || operation.value === null || written.has(operation.value as string)) continue;
    if (first < 0) first = row;
    count++;
  }
  if (first < 0) return null;
  const firstOperation = rows.operationAt(first);
  const failed = failedOnly.get(firstOperation.value as string);
  return { first: firstOperation, failed: failed === undefined ? undefined : rows.operationAt(failed), count };
}
