// Rejects, before anything starts, a plan whose faults the chosen platform cannot inject.

import type { Capability } from '../platform/platform.js';
import type { Plan } from './plan.js';
import { stepNeeds } from './step-needs.js';

export interface CapabilityProblem {
  scenario: string;
  source: string;
  capability: Capability;
  message: string;
}

export function checkCapabilities(plan: Plan, platformName: string, capabilities: ReadonlySet<Capability>): CapabilityProblem[] {
  const problems: CapabilityProblem[] = [];
  for (const step of plan.steps) {
    for (const need of stepNeeds(step)) {
      if (capabilities.has(need.capability)) continue;
      problems.push({
        scenario: plan.name,
        source: step.source,
        capability: need.capability,
        message:
          `${step.source} ${need.by} needs the ${need.capability} capability, which the ${platformName} platform lacks ` +
          `(it has: ${[...capabilities].sort().join(', ') || 'none'}); run it on another platform or remove the step`,
      });
    }
  }
  return problems;
}
