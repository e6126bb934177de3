// What the step interpreter works with.

import type { StatusProbe } from '../cluster-health/status-snapshot.js';
import type { Verdict } from '../checkers/verdict.js';
import type { StartedCluster } from '../platform/platform.js';
import type { Plan } from '../scenario/plan.js';
import type { FaultDriver } from './fault-driver.js';
import type { FaultTimeline } from './fault-timeline.js';
import type { RunClock } from './run-clock.js';
import type { SeededRandom } from '../shared/seeded-random.js';

export interface StepContext {
  plan: Plan;
  cluster: StartedCluster;
  driver: FaultDriver;
  probe: StatusProbe;
  clock: RunClock;
  timeline: FaultTimeline;
  /** For the nemesis schedule and restart targets (fault targets use the driver's own). */
  random: SeededRandom;
  progress: (line: string) => void;
  signal: AbortSignal;
  /** Verdicts the run itself reaches (no leader in time, a fault that could not fire). */
  verdicts: Verdict[];
}
