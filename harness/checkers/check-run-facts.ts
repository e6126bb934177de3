// The checks that need the facts of a run (fault windows, the final reads, limits).

import { groupByKey } from '../history/group-by-key.js';
import type { Operation } from '../history/operation.js';
import { AvailabilityCheck } from './availability-checker.js';
import { checkFaultTookEffect } from './fault-took-effect-checker.js';
import { checkFinalConfiguration } from './final-configuration-checker.js';
import { NoLostWritesCheck } from './no-lost-writes-checker.js';
import { RecoveryTimeCheck } from './recovery-time-checker.js';
import type { RunFacts } from './run-facts.js';
import { TrafficAroundFaultsCheck } from './traffic-around-faults-checker.js';
import type { Verdict } from './verdict.js';

export function checkRunFacts(operations: readonly Operation[], facts: RunFacts, options: { noLostWrites: boolean }): Verdict[] {
  const check = new RunFactsCheck(facts, options);
  for (const [key, keyOperations] of groupByKey(operations)) check.addKey(key, keyOperations);
  return check.finish();
}

/** The checks one key at a time (its operations in order of invocation, keys in order of their first operation), for streamed histories. */
export class RunFactsCheck {
  readonly #noLostWrites: NoLostWritesCheck | undefined;
  readonly #windowChecks: { traffic: TrafficAroundFaultsCheck; recovery: RecoveryTimeCheck; availability: AvailabilityCheck } | undefined;

  constructor(private readonly facts: RunFacts, options: { noLostWrites: boolean }) {
    if (facts.finalReadsStartNs !== undefined && options.noLostWrites) this.#noLostWrites = new NoLostWritesCheck(facts);
    if (facts.faultWindows.length > 0) this.#windowChecks = { traffic: new TrafficAroundFaultsCheck(facts), recovery: new RecoveryTimeCheck(facts), availability: new AvailabilityCheck(facts) };
  }

  addKey(key: string, keyOperations: readonly Operation[]): void {
    this.#noLostWrites?.addKey(key, keyOperations);
    for (const check of Object.values(this.#windowChecks ?? {})) check.add(keyOperations);
  }

  finish(): Verdict[] {
    const verdicts: Verdict[] = [];
    if (this.#noLostWrites !== undefined) verdicts.push(this.#noLostWrites.finish());
    const finalConfiguration = checkFinalConfiguration(this.facts);
    if (finalConfiguration !== undefined) verdicts.push(finalConfiguration);
    const windowChecks = this.#windowChecks;
    if (windowChecks === undefined) return verdicts;
    verdicts.push(windowChecks.traffic.finish(), checkFaultTookEffect(this.facts), windowChecks.recovery.finish(), windowChecks.availability.finish());
    return verdicts;
  }
}
