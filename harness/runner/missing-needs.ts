// Before anything starts: the capabilities the plan's steps need that the platform lacks, as
// the run's platform problem (the same check as `harness run` does before it starts anything).

import type { Platform } from '../platform/platform.js';
import { checkCapabilities } from '../scenario/check-capabilities.js';
import type { Plan } from '../scenario/plan.js';
import type { PlatformProblem } from './scenario-outcome.js';

export function missingNeeds(plan: Plan, platform: Platform): PlatformProblem | undefined {
  const problems = checkCapabilities(plan, platform.name, platform.capabilities, platform.unavailableReasons);
  if (problems.length === 0) return undefined;
  const lacking = [...new Set(problems.map((problem) => problem.capability))];
  return {
    message: `${plan.file}: scenario ${plan.name}: ${problems.map((problem) => problem.message).join('; ')}`,
    nextStep: `run it on a platform that has ${lacking.join(', ')}, or remove those faults from the scenario`,
  };
}
