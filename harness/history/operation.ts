// An operation: an `invoke` paired with its completion (SPEC section 3).

import type { EventValue, OperationKind } from './history-event.js';

export type Outcome = 'ok' | 'fail' | 'info';

export interface Operation {
  /** Position among all operations, in order of invocation. */
  index: number;
  process: number;
  f: OperationKind;
  key: string;
  /** write: the value; cas: [from, to]; read: what an `ok` read returned (null otherwise); delete: null. */
  value: EventValue;
  outcome: Outcome;
  invokeNs: number;
  /** When the completion was recorded; for an operation still in flight at the end, null. */
  completeNs: number | null;
  error?: string;
  node?: string;
}
