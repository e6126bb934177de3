// Every check of a recorded history, composed: false beats unknown beats true.

import type { HistoryEvent } from '../history/history-event.js';
import type { Operation } from '../history/operation.js';
import { pairOperations } from '../history/pair-operations.js';
import { checkAvailability } from './availability-checker.js';
import { checkFaultTookEffect } from './fault-took-effect-checker.js';
import { checkLinearizable } from './linearizable-checker.js';
import { checkNoLostWrites } from './no-lost-writes-checker.js';
import { checkNoPhantomValues } from './no-phantom-values-checker.js';
import { checkRecoveryTime } from './recovery-time-checker.js';
import type { RunFacts } from './run-facts.js';
import { checkTrafficAroundFaults } from './traffic-around-faults-checker.js';
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
  if (facts !== undefined) verdicts.push(...checkRunFacts(operations, facts, options));
  return { valid: composeValidity(verdicts.map((verdict) => verdict.valid)), verdicts, operations };
}

function checkRunFacts(operations: readonly Operation[], facts: RunFacts, options: CheckHistoryOptions): Verdict[] {
  const verdicts: Verdict[] = [];
  if (facts.finalReadsStartNs !== undefined && !options.skip?.noLostWrites) verdicts.push(checkNoLostWrites(operations, facts));
  if (facts.faultWindows.length === 0) return verdicts;
  verdicts.push(checkTrafficAroundFaults(operations, facts), checkFaultTookEffect(facts), checkRecoveryTime(operations, facts), checkAvailability(operations, facts));
  return verdicts;
}
