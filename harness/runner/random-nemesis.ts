// The seeded random nemesis: for `durationMs`, after each quiet window of `intervalMs`, fire one
// fault kind from the plan's list at targets the rng picks, hold it `holdMs`, heal it.

import { faultOf } from '../faults/fault-registry.js';
import type { FaultKind, FaultStep } from '../scenario/plan.js';
import type { SeededRandom } from '../shared/seeded-random.js';

/** Pure: the n-th fault step of a nemesis, chosen from the kinds by the rng. */
export function nemesisFaultStep(kinds: readonly FaultKind[], index: number, source: string, random: SeededRandom): FaultStep {
  const fault = random.pick(kinds);
  return { type: 'fault', id: `nemesis-${index}-${fault}`, fault, target: random.pick(faultOf(fault).nemesisTargets), source: `nemesis@${source}` };
}

/** How many faults fit in the duration (each a quiet window plus a hold), at least one. */
export function nemesisRounds(durationMs: number, intervalMs: number, holdMs: number): number {
  return Math.max(1, Math.floor(durationMs / Math.max(1, intervalMs + holdMs)));
}
