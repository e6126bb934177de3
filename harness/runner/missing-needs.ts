// Before anything starts: the capabilities the plan's faults need that the platform lacks.

import { missingCapabilities } from '../faults/fault-registry.js';
import type { Platform } from '../platform/platform.js';
import type { FaultKind, Plan } from '../scenario/plan.js';
import type { PlatformProblem } from './scenario-outcome.js';

export function faultKindsOf(plan: Plan): FaultKind[] {
  return plan.steps.flatMap((step) => (step.type === 'fault' ? [step.fault] : step.type === 'nemesis' ? step.faults : step.type === 'restart' ? ['stop' as const] : []));
}

export function missingNeeds(plan: Plan, platform: Platform): PlatformProblem | undefined {
  const missing = missingCapabilities(faultKindsOf(plan), platform.capabilities);
  const declared = plan.needs.filter((capability) => !platform.capabilities.has(capability) && !missing.some((entry) => entry.capability === capability));
  if (missing.length === 0 && declared.length === 0) return undefined;
  const described = [...missing.map((entry) => `${entry.capability} (for ${entry.faults.join(', ')})`), ...declared];
  const reasons = [...missing.map((entry) => entry.capability), ...declared].flatMap((capability) => platform.unavailableReasons?.[capability] ?? []);
  return {
    message:
      `${plan.file}: scenario ${plan.name} needs ${described.join(', ')}, which the ${platform.name} platform does not have ` +
      `(it has ${[...platform.capabilities].join(', ')})${reasons.map((reason) => `: ${reason}`).join('')}`,
    nextStep: `run it on a platform that has ${[...missing.map((entry) => entry.capability), ...declared].join(', ')}, or remove those faults from the scenario`,
  };
}
