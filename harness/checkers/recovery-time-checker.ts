// Per fault window: the time from the fault's start to the next acknowledged write (a write
// invoked after the start), and to the next leader change when the facts give them.

import type { Operation } from '../history/operation.js';
import { isWrite, milliseconds } from './group-by-window.js';
import type { FaultWindow, RunFacts } from './run-facts.js';
import { TimesAroundPoints } from './times-around-points.js';
import type { Verdict } from './verdict.js';

interface Recovery {
  window: string;
  writeRecoveryMs: number | null;
  leaderRecoveryMs: number | null;
}

export function checkRecoveryTime(operations: readonly Operation[], facts: RunFacts): Verdict {
  const check = new RecoveryTimeCheck(facts);
  check.add(operations);
  return check.finish();
}

/** The check over operations added in any order and any number of pieces. */
export class RecoveryTimeCheck {
  /** The fault windows' starts, and per gap between them the earliest completion of an acknowledged write invoked in it. */
  readonly #starts: TimesAroundPoints;
  readonly #firstAcknowledgedInGapNs: Float64Array;

  constructor(private readonly facts: RunFacts) {
    this.#starts = new TimesAroundPoints(facts.faultWindows.map((window) => window.startNs));
    this.#firstAcknowledgedInGapNs = new Float64Array(facts.faultWindows.length + 1).fill(Infinity);
  }

  add(operations: readonly Operation[]): void {
    const first = this.#firstAcknowledgedInGapNs;
    for (const operation of operations) {
      if (!isWrite(operation) || operation.outcome !== 'ok') continue;
      const gap = this.#starts.gapOf(operation.invokeNs);
      if (operation.completeNs! < first[gap]!) first[gap] = operation.completeNs!;
    }
  }

  finish(): Verdict {
    const facts = this.facts;
    const limitMs = facts.limits?.recoveryMsMax;
    // A write invoked at or after a start is in a gap past that start's: the earliest over those gaps.
    const fromGap = Float64Array.from(this.#firstAcknowledgedInGapNs);
    for (let gap = fromGap.length - 2; gap >= 0; gap--) fromGap[gap] = Math.min(fromGap[gap]!, fromGap[gap + 1]!);
    const recoveries = facts.faultWindows.map((window) => measureRecovery(fromGap[this.#starts.gapOf(window.startNs)]!, facts, window));
    const never = recoveries.filter((recovery) => recovery.writeRecoveryMs === null);
    const slow = recoveries.filter((recovery) => limitMs !== undefined && (overLimit(recovery.writeRecoveryMs, limitMs) || overLimit(recovery.leaderRecoveryMs, limitMs)));
    const evidence = { limitMs: limitMs ?? null, windows: recoveries };
    if (slow.length > 0 || (never.length > 0 && limitMs !== undefined)) {
      const worst = slow[0] ?? never[0]!;
      const measured = worst.writeRecoveryMs === null ? 'no write was acknowledged after it began' : `the next acknowledged write came ${worst.writeRecoveryMs} ms after it began${worst.leaderRecoveryMs !== null ? `, a new leader after ${worst.leaderRecoveryMs} ms` : ''}`;
      return { check: 'recovery-time', valid: false, summary: `fault ${worst.window}: ${measured}; the limit is ${limitMs} ms`, evidence };
    }
    if (never.length > 0) return { check: 'recovery-time', valid: 'unknown', summary: `fault ${never[0]!.window}: no write was acknowledged after it began`, evidence };
    const slowest = Math.max(...recoveries.map((recovery) => recovery.writeRecoveryMs ?? 0), 0);
    return { check: 'recovery-time', valid: true, summary: `${recoveries.length} faults: writes acknowledged again within ${slowest} ms${limitMs !== undefined ? ` (limit ${limitMs} ms)` : ''}`, evidence };
  }
}

function measureRecovery(firstAcknowledgedNs: number, facts: RunFacts, window: FaultWindow): Recovery {
  const leaderChange = (facts.leaderChanges ?? []).filter((change) => change.timeNs >= window.startNs).sort((a, b) => a.timeNs - b.timeNs)[0];
  return {
    window: window.name,
    writeRecoveryMs: Number.isFinite(firstAcknowledgedNs) ? milliseconds(firstAcknowledgedNs - window.startNs) : null,
    leaderRecoveryMs: leaderChange === undefined ? null : milliseconds(leaderChange.timeNs - window.startNs),
  };
}

function overLimit(valueMs: number | null, limitMs: number): boolean {
  return valueMs !== null && valueMs > limitMs;
}
