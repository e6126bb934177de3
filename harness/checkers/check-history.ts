// Every check of a recorded history, composed: false beats unknown beats true. The checks take
// the history one key at a time (history-checks.ts), so a history streamed from a file
// (check-history-file.ts) is checked by the same code as one in memory.

import type { HistoryEvent } from '../history/history-event.js';
import { groupByKey } from '../history/group-by-key.js';
import type { Operation } from '../history/operation.js';
import { operationRows } from '../history/operation-rows.js';
import { pairOperations } from '../history/pair-operations.js';
import { createHistoryChecks, noOperations, type CheckHistoryOptions } from './history-checks.js';
import type { RunFacts } from './run-facts.js';
import { composeValidity, type Validity, type Verdict } from './verdict.js';

export type { CheckHistoryOptions } from './history-checks.js';

export interface HistoryCheck {
  valid: Validity;
  verdicts: Verdict[];
  operationCount: number;
  /**
   * Every operation, each key's in order of invocation, keys in the order of their first operation;
   * from a file only when asked for (the evidence page), and then made key by key as it is iterated.
   */
  operations?: Iterable<Operation>;
  /** Instead of `operations` for a large file: visits every operation (invoke order within a key not kept) by reading the file again. */
  forEachOperation?: (visit: (operation: Operation) => void) => Promise<void>;
}

/**
 * Throws MalformedHistoryError when the events break the process rule of SPEC section 3, or when
 * there is no event at all: a history without an operation proves nothing.
 */
export async function checkHistory(events: readonly HistoryEvent[], facts: RunFacts | undefined, options: CheckHistoryOptions): Promise<HistoryCheck> {
  if (events.length === 0) throw noOperations(options.fileName);
  const operations = pairOperations(events, options.fileName, options.lines ? (index) => options.lines![index] ?? index + 1 : undefined);
  const checks = await createHistoryChecks(facts, options);
  for (const [key, keyOperations] of groupByKey(operations)) checks.addKey(key, { ...operationRows(keyOperations), operations: () => keyOperations });
  const verdicts = await checks.finish(operations.length, (index) => operations[index]!);
  return { valid: composeValidity(verdicts.map((verdict) => verdict.valid)), verdicts, operationCount: operations.length, operations };
}
