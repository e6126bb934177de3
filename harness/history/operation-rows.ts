// A key's operations read row by row through a view that is reused, so that checks that only
// look at each operation once make no object per operation; an Operation of its own is made only
// for what a check keeps (its evidence).

import type { Operation } from './operation.js';

export interface OperationRows {
  readonly length: number;
  /** Row `row` through a view the next call reuses: read it, never keep it. */
  view(row: number): Readonly<Operation>;
  /** Row `row` as an Operation of its own. */
  operationAt(row: number): Operation;
}

export function operationRows(operations: readonly Operation[]): OperationRows {
  return { length: operations.length, view: (row) => operations[row]!, operationAt: (row) => operations[row]! };
}
