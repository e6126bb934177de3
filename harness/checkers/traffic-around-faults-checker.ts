// Vacuity guard: a fault only tells something if operations completed both before and after it.

import type { Operation } from '../history/operation.js';
import type { RunFacts } from './run-facts.js';
import { TimesAroundPoints } from './times-around-points.js';
import type { Verdict } from './verdict.js';

export function checkTrafficAroundFaults(operations: readonly Operation[], facts: RunFacts): Verdict {
  const check = new TrafficAroundFaultsCheck(facts);
  check.add(operations);
  return check.finish();
}

interface WindowTraffic {
  window: string;
  startNs: number;
  endNs: number;
  /**
   * The latest end of a fault that ended before this one started, and the earliest start of a
   * fault that started after this one ended (faults may overlap: 3 -> 5 -> 3 nodes grows twice,
   * then heals both).
   */
  fromNs: number;
  untilNs: number;
}

/** The check over operations added in any order and any number of pieces. */
export class TrafficAroundFaultsCheck {
  readonly #minimum: number;
  readonly #windows: WindowTraffic[];
  /** Completion times of the ok operations. */
  readonly #completions: TimesAroundPoints;

  constructor(facts: RunFacts) {
    this.#minimum = facts.limits?.minOpsAroundFault ?? 1;
    const windows = [...facts.faultWindows].sort((a, b) => a.startNs - b.startNs);
    this.#windows = windows.map((window) => ({
      window: window.name,
      startNs: window.startNs,
      endNs: window.endNs,
      fromNs: Math.max(-Infinity, ...windows.filter((other) => other.endNs <= window.startNs).map((other) => other.endNs)),
      untilNs: Math.min(Infinity, ...windows.filter((other) => other.startNs >= window.endNs).map((other) => other.startNs)),
    }));
    this.#completions = new TimesAroundPoints(this.#windows.flatMap((window) => [window.fromNs, window.startNs, window.endNs, window.untilNs]));
  }

  add(operations: readonly Operation[]): void {
    for (const operation of operations) if (operation.outcome === 'ok') this.#completions.add(operation.completeNs!);
  }

  finish(): Verdict {
    const minimum = this.#minimum;
    const completions = this.#completions;
    const counts = this.#windows.map(({ window, fromNs, startNs, endNs, untilNs }) => ({ window, before: completions.countFrom(fromNs, startNs), after: completions.countFrom(endNs, untilNs) }));
    const thin = counts.find((count) => count.before < minimum || count.after < minimum);
    const evidence = { minimum, windows: counts };
    if (thin !== undefined) {
      return { check: 'traffic-around-faults', valid: 'unknown', summary: `too little traffic around fault ${thin.window}: ${thin.before} operations completed before it and ${thin.after} after, fewer than ${minimum}; run the workload longer or faster`, evidence };
    }
    return { check: 'traffic-around-faults', valid: true, summary: `at least ${minimum} operations completed before and after each of ${counts.length} faults`, evidence };
  }
}
