// Which platform capabilities a fault kind or step needs (jepsen's optional Kill, Pause… protocols).

import type { Capability } from '../platform/platform.js';
import type { FaultKind, Step } from './plan.js';

export const faultNeeds: Record<FaultKind, Capability> = {
  kill: 'kill',
  stop: 'stopStart',
  pause: 'pause',
  isolate: 'cutLinks',
  partition: 'cutLinks',
  'slow-links': 'shapeLinks',
  'lossy-links': 'shapeLinks',
  'power-loss': 'powerLoss',
};

/** What one step needs, each with the fault (or step) that needs it. */
export function stepNeeds(step: Step): { capability: Capability; by: string }[] {
  if (step.type === 'fault') return [{ capability: faultNeeds[step.fault], by: `fault ${step.fault}` }];
  if (step.type === 'nemesis') return step.faults.map((fault) => ({ capability: faultNeeds[fault], by: `nemesis fault ${fault}` }));
  if (step.type === 'restart') return [{ capability: 'stopStart', by: 'restart' }];
  return [];
}

/** Every capability the steps need, sorted and unique. */
export function planNeeds(steps: readonly Step[]): Capability[] {
  return [...new Set(steps.flatMap((step) => stepNeeds(step).map((need) => need.capability)))].sort();
}
