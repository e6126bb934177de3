// Every check of a recorded history, composed: false beats unknown beats true.

import type { HistoryEvent } from '../history/history-event.js';
import type { Operation } from '../history/operation.js';
import { pairOperations } from '../history/pair-operations.js';
import { checkLinearizable } from './linearizable-checker.js';
import { checkNoPhantomValues } from './no-phantom-values-checker.js';
import type { RunFacts } from './run-facts.js';
import { composeValidity, type Validity, type Verdict } from './verdict.js';

export interface CheckHistoryOptions {
  /** Budget of the linearizability search in milliseconds; past it that verdict is unknown. */
  budgetMs: number;
  /** For error messages about malformed histories: the file and each event's line in it. */
  fileName?: string;
  lines?: readonly number[];
  /** Checks to skip (by default every check that the facts allow runs). */
  skip?: { linearizable?: boolean; noLostWrites?: boolean; noPhantomValues?: boolean };
}

export interface HistoryCheck {
  valid: Validity;
  verdicts: Verdict[];
  operations: Operation[];
}

/** Throws MalformedHistoryError when the events break the process rule of SPEC section 3. */
export async function checkHistory(events: readonly HistoryEvent[], facts: RunFacts | undefined, options: CheckHistoryOptions): Promise<HistoryCheck> {
  const operations = pairOperations(events, options.fileName, options.lines ? (index) => options.lines![index] ?? index + 1 : undefined);
  const verdicts: Verdict[] = [];
  if (!options.skip?.linearizable) verdicts.push(await checkLinearizable(operations, { budgetMs: options.budgetMs }));
  if (!options.skip?.noPhantomValues) verdicts.push(checkNoPhantomValues(operations));
  if (facts !== undefined) {
    // Loaded only with facts: `harness check` of a bare history does without these modules.
    const { checkRunFacts } = await import('./check-run-facts.js');
    verdicts.push(...checkRunFacts(operations, facts, { noLostWrites: !options.skip?.noLostWrites }));
  }
  return { valid: composeValidity(verdicts.map((verdict) => verdict.valid)), verdicts, operations };
}
