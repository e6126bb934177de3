// Per fault window: the fraction of operations invoked during it that succeeded.

import type { Operation } from '../history/operation.js';
import type { RunFacts } from './run-facts.js';
import type { Verdict } from './verdict.js';

export function checkAvailability(operations: readonly Operation[], facts: RunFacts): Verdict {
  const check = new AvailabilityCheck(facts);
  check.add(operations);
  return check.finish();
}

/** The check over operations added in any order and any number of pieces. */
export class AvailabilityCheck {
  /** Per fault window: operations invoked during it, and those of them that succeeded. */
  readonly #total: number[];
  readonly #ok: number[];

  constructor(private readonly facts: RunFacts) {
    this.#total = facts.faultWindows.map(() => 0);
    this.#ok = facts.faultWindows.map(() => 0);
  }

  add(operations: readonly Operation[]): void {
    const windows = this.facts.faultWindows;
    for (const operation of operations) {
      for (let index = 0; index < windows.length; index++) {
        if (operation.invokeNs < windows[index]!.startNs || operation.invokeNs > windows[index]!.endNs) continue;
        this.#total[index]!++;
        if (operation.outcome === 'ok') this.#ok[index]!++;
      }
    }
  }

  finish(): Verdict {
    const minimum = this.facts.limits?.availabilityMin;
    const windows = this.facts.faultWindows.map((window, index) => {
      const ok = this.#ok[index]!;
      const total = this.#total[index]!;
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
