// The checks that need the facts of a run (fault windows, the final reads, limits).

import type { Operation } from '../history/operation.js';
import { checkAvailability } from './availability-checker.js';
import { checkFaultTookEffect } from './fault-took-effect-checker.js';
import { checkNoLostWrites } from './no-lost-writes-checker.js';
import { checkRecoveryTime } from './recovery-time-checker.js';
import type { RunFacts } from './run-facts.js';
import { checkTrafficAroundFaults } from './traffic-around-faults-checker.js';
import type { Verdict } from './verdict.js';

export function checkRunFacts(operations: readonly Operation[], facts: RunFacts, options: { noLostWrites: boolean }): Verdict[] {
  const verdicts: Verdict[] = [];
  if (facts.finalReadsStartNs !== undefined && options.noLostWrites) verdicts.push(checkNoLostWrites(operations, facts));
  if (facts.faultWindows.length === 0) return verdicts;
  verdicts.push(checkTrafficAroundFaults(operations, facts), checkFaultTookEffect(facts), checkRecoveryTime(operations, facts), checkAvailability(operations, facts));
  return verdicts;
}
