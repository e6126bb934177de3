// A scenario file after validation, defaults and duration parsing; compile-plan.ts turns it
// and a seed into a Plan.

import type { ChecksPlan, ClusterPlan, Step, WorkloadPlan } from './plan.js';

export interface Scenario {
  name: string;
  description: string;
  /** The file it was loaded from, as given. */
  file: string;
  cluster: ClusterPlan;
  workload: WorkloadPlan;
  timeline: Step[];
  checks: ChecksPlan;
  timeLimitMs: number;
  /** `harness run all` runs it; false: only when named. */
  inAll: boolean;
}
