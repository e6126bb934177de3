// Per fault window: the fraction of operations invoked during it that succeeded.

import type { Operation } from '../history/operation.js';
import type { RunFacts } from './run-facts.js';
import { TimesAroundPoints } from './times-around-points.js';
import type { Verdict } from './verdict.js';

export function checkAvailability(operations: readonly Operation[], facts: RunFacts): Verdict {
  const check = new AvailabilityCheck(facts);
  check.add(operations);
  return check.finish();
}

/** The check over operations added in any order and any number of pieces. */
export class AvailabilityCheck {
  /** Invoke times of every operation, and of those that succeeded. */
  readonly #invoked: TimesAroundPoints;
  readonly #succeeded: TimesAroundPoints;

  constructor(private readonly facts: RunFacts) {
    const points = facts.faultWindows.flatMap((window) => [window.startNs, window.endNs]);
    this.#invoked = new TimesAroundPoints(points);
    this.#succeeded = new TimesAroundPoints(points);
  }

  add(operations: readonly Operation[]): void {
    for (const operation of operations) {
      this.#invoked.add(operation.invokeNs);
      if (operation.outcome === 'ok') this.#succeeded.add(operation.invokeNs);
    }
  }

  finish(): Verdict {
    const minimum = this.facts.limits?.availabilityMin;
    const windows = this.facts.faultWindows.map((window) => {
      const ok = this.#succeeded.countBetween(window.startNs, window.endNs);
      const total = this.#invoked.countBetween(window.startNs, window.endNs);
      return { window: window.name, ok, total, availability: total === 0 ? null : Math.round((ok / total) * 1000) / 1000 };
    });
    const evidence = { minimum: minimum ?? null, windows };
    const low = windows.find((window) => minimum !== undefined && window.availability !== null && window.availability < minimum);
    if (low !== undefined) {
      return { check: 'availability', valid: false, summary: `fault ${low.window}: ${low.ok} of ${low.total} operations succeeded (${low.availability}), below the minimum ${minimum}`, evidence };
    }
    const parts = windows.map((window) => `${window.window} ${window.availability ?? 'n/a'}`).join(', ');
    return { check: 'availability', valid: true, summary: `availability during faults: ${parts}`, evidence };
  }
}
