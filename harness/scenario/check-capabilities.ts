// Rejects, before anything starts, a plan whose faults the chosen platform cannot inject.

import type { Capability, CapabilityReasons } from '../platform/platform.js';
import type { Plan } from './plan.js';
import { stepNeeds } from './step-needs.js';

export interface CapabilityProblem {
  scenario: string;
  source: string;
  capability: Capability;
  message: string;
}

/** `reasons`: for a capability the platform lacks here, why and what would provide it (Platform.unavailableReasons). */
export function checkCapabilities(
  plan: Plan,
  platformName: string,
  capabilities: ReadonlySet<Capability>,
  reasons: CapabilityReasons = {},
): CapabilityProblem[] {
  const problems: CapabilityProblem[] = [];
  for (const step of plan.steps) {
    for (const need of stepNeeds(step)) {
      if (capabilities.has(need.capability)) continue;
      const reason = reasons[need.capability];
      problems.push({
        scenario: plan.name,
        source: step.source,
        capability: need.capability,
        message:
          `${step.source} ${need.by} needs the ${need.capability} capability, which the ${platformName} platform lacks ` +
          `(it has: ${[...capabilities].sort().join(', ') || 'none'})${reason === undefined ? '' : `: ${reason}`}; ` +
          `${reason === undefined ? '' : 'otherwise '}run it on another platform or remove the step`,
      });
    }
  }
  return problems;
}
