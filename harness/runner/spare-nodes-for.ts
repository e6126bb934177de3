// Pure: the spare nodes a plan's cluster needs (ClusterSpec.spareNodes): one per `grow` step, since
// grown nodes may all be in at once, and one for a nemesis that may grow (its faults are healed
// one at a time). Named after the launch nodes: raft-<replicas>, raft-<replicas + 1>, …

import type { Plan } from '../scenario/plan.js';

export function spareNodesFor(plan: Pick<Plan, 'cluster' | 'steps'>): string[] {
  const growSteps = plan.steps.filter((step) => step.type === 'fault' && step.fault === 'grow').length;
  const growingNemesis = plan.steps.some((step) => step.type === 'nemesis' && step.faults.includes('grow')) ? 1 : 0;
  return Array.from({ length: growSteps + growingNemesis }, (_, index) => `raft-${plan.cluster.replicas + index}`);
}
