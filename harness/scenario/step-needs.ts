// Which platform capabilities a fault kind or step needs (jepsen's optional Kill, Pause… protocols).

import type { Capability } from '../platform/platform.js';
import { faultOf } from '../faults/fault-registry.js';
import type { FaultKind, Step } from './plan.js';

function faultNeeds(fault: FaultKind, by: string): { capability: Capability; by: string }[] {
  return faultOf(fault).needs.map((capability) => ({ capability, by }));
}

/** What one step needs, each with the fault (or step) that needs it. */
export function stepNeeds(step: Step): { capability: Capability; by: string }[] {
  if (step.type === 'fault') return faultNeeds(step.fault, `fault ${step.fault}`);
  if (step.type === 'nemesis') return step.faults.flatMap((fault) => faultNeeds(fault, `nemesis fault ${fault}`));
  if (step.type === 'restart') return [{ capability: 'stopStart', by: 'restart' }];
  return [];
}

/** Every capability the steps need, sorted and unique. */
export function planNeeds(steps: readonly Step[]): Capability[] {
  return [...new Set(steps.flatMap((step) => stepNeeds(step).map((need) => need.capability)))].sort();
}
