// Every check of a recorded history, composed: false beats unknown beats true.

import type { HistoryEvent } from '../history/history-event.js';
import type { Operation } from '../history/operation.js';
import { MalformedHistoryError } from '../history/malformed-history-error.js';
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
  /** Checks to skip; by default those the facts say the run turned off (`facts.checks`). */
  skip?: { linearizable?: boolean; noLostWrites?: boolean; noPhantomValues?: boolean };
}

export interface HistoryCheck {
  valid: Validity;
  verdicts: Verdict[];
  operations: Operation[];
}

/**
 * Throws MalformedHistoryError when the events break the process rule of SPEC section 3, or when
 * there is no event at all: a history without an operation proves nothing.
 */
export async function checkHistory(events: readonly HistoryEvent[], facts: RunFacts | undefined, options: CheckHistoryOptions): Promise<HistoryCheck> {
  if (events.length === 0) throw new MalformedHistoryError(options.fileName ?? 'the history', 1, 'file', 'no operations: a history without one proves nothing (SPEC section 3); did the run start its workload?');
  const operations = pairOperations(events, options.fileName, options.lines ? (index) => options.lines![index] ?? index + 1 : undefined);
  const skip = options.skip ?? skippedByFacts(facts);
  const verdicts: Verdict[] = [];
  if (!skip.linearizable) verdicts.push(await checkLinearizable(operations, { budgetMs: options.budgetMs }));
  if (!skip.noPhantomValues) verdicts.push(checkNoPhantomValues(operations));
  if (facts !== undefined) {
    // Loaded only with facts: `harness check` of a bare history does without these modules.
    const { checkRunFacts } = await import('./check-run-facts.js');
    verdicts.push(...checkRunFacts(operations, facts, { noLostWrites: !skip.noLostWrites }));
  }
  return { valid: composeValidity(verdicts.map((verdict) => verdict.valid)), verdicts, operations };
}

function skippedByFacts(facts: RunFacts | undefined): NonNullable<CheckHistoryOptions['skip']> {
  const checks = facts?.checks;
  if (checks === undefined) return {};
  return { linearizable: !checks.linearizable, noLostWrites: !checks.noLostWrites, noPhantomValues: !checks.noPhantomValues };
}
