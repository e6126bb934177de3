// The seeded random nemesis: for `durationMs`, after each quiet window of `intervalMs`, fire one
// fault kind from the plan's list at targets the rng picks, hold it `holdMs`, heal it.

import type { FaultKind, FaultStep, TargetSelector } from '../scenario/plan.js';
import type { SeededRandom } from './seeded-random.js';

const selectorsByKind: Record<FaultKind, TargetSelector[]> = {
  kill: [{ kind: 'leader' }, { kind: 'random-node' }],
  stop: [{ kind: 'leader' }, { kind: 'random-follower' }],
  pause: [{ kind: 'leader' }, { kind: 'random-node' }],
  isolate: [{ kind: 'leader' }, { kind: 'random-node' }],
  partition: [{ kind: 'minority' }],
  'slow-links': [{ kind: 'leader' }, { kind: 'random-node' }],
  'lossy-links': [{ kind: 'leader' }, { kind: 'random-node' }],
  'power-loss': [{ kind: 'leader' }, { kind: 'random-node' }],
};

/** Pure: the n-th fault step of a nemesis, chosen from the kinds by the rng. */
export function nemesisFaultStep(kinds: readonly FaultKind[], index: number, source: string, random: SeededRandom): FaultStep {
  const fault = random.pick(kinds);
  return { type: 'fault', id: `nemesis-${index}-${fault}`, fault, target: random.pick(selectorsByKind[fault]), source: `nemesis@${source}` };
}

/** How many faults fit in the duration (each a quiet window plus a hold), at least one. */
export function nemesisRounds(durationMs: number, intervalMs: number, holdMs: number): number {
  return Math.max(1, Math.floor(durationMs / Math.max(1, intervalMs + holdMs)));
}
