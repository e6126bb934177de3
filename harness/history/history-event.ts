// One event of a recorded history (SPEC section 3), as written to `history.jsonl`.

export type EventType = 'invoke' | 'ok' | 'fail' | 'info';
export type OperationKind = 'read' | 'write' | 'cas' | 'delete';

/** `read`: null on invoke, the value read (or null) on ok. `cas`: [from, to]. */
export type EventValue = string | null | [string | null, string];

export interface HistoryEvent {
  process: number;
  type: EventType;
  f: OperationKind;
  key: string;
  value: EventValue;
  /** Nanoseconds on one monotonic clock for the whole run. */
  time: number;
  /** Optional: the error code of a `fail` or `info` completion. */
  error?: string;
  /** Optional: the node that answered or was asked. */
  node?: string;
}
