// Pure: a plan whose nemesis says `faults: supported`, narrowed to the fault kinds the platform
// can inject here. A nemesis left with none keeps its full list, so the capability check refuses
// it with every missing capability named.

import type { Capability } from '../platform/platform.js';
import type { Plan, Step } from './plan.js';
import { faultOf } from '../faults/fault-registry.js';
import { planNeeds } from './step-needs.js';

export function narrowToPlatform(plan: Plan, capabilities: ReadonlySet<Capability>): Plan {
  if (!plan.steps.some((step) => step.type === 'nemesis' && step.supportedOnly === true)) return plan;
  const steps = plan.steps.map((step) => narrowStep(step, capabilities));
  return { ...plan, steps, needs: planNeeds(steps) };
}

function narrowStep(step: Step, capabilities: ReadonlySet<Capability>): Step {
  if (step.type !== 'nemesis' || step.supportedOnly !== true) return step;
  const faults = step.faults.filter((fault) => faultOf(fault).needs.every((capability) => capabilities.has(capability)));
  return faults.length > 0 ? { ...step, faults } : step;
}
