// Everything one scenario run holds while it goes; the phases fill it in.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FinalConfiguration } from '../checkers/run-facts.js';
import type { ClosableStatusProbe } from '../cluster-health/client-status-probe.js';
import { createHistoryRecorder, type HistoryRecorder } from '../history/history-recorder.js';
import type { Platform, StartedCluster } from '../platform/platform.js';
import type { Plan } from '../scenario/plan.js';
import type { RunningWorkload } from '../workload/start-workload.js';
import type { FaultDriver } from './fault-driver.js';
import { FaultTimeline } from './fault-timeline.js';
import type { LeaderWatcher } from './leader-watcher.js';
import { createRunClock, type RunClock } from './run-clock.js';
import type { RunScenarioOptions } from './run-scenario.js';
import type { ScenarioOutcome } from './scenario-outcome.js';
import { createSeededRandom, type SeededRandom } from '../shared/seeded-random.js';
import { createSpecServerSystem } from '../systems/raft/spec-server-system.js';
import type { System } from '../systems/system.js';

export interface RunState {
  plan: Plan;
  platform: Platform;
  /** The system under test: launch recipe, client driver and status probe. */
  system: System;
  options: RunScenarioOptions;
  outcome: ScenarioOutcome;
  /** Aborts on Ctrl-C or at the plan's time limit. */
  signal: AbortSignal;
  /** Data directories and raw logs of the nodes (removed after the run unless kept). */
  workDir: string;
  clock: RunClock;
  random: SeededRandom;
  historyPath: string;
  recorder: HistoryRecorder;
  timeline: FaultTimeline;
  cluster?: StartedCluster;
  probe?: ClosableStatusProbe;
  driver?: FaultDriver;
  watcher?: LeaderWatcher;
  workload?: RunningWorkload;
  /** When the faults ended (the final heal), on the run clock. */
  endNs?: number;
  finalReadsStartNs?: number;
  /** Plans that change membership: what every node reported after the final heal. */
  finalConfiguration?: FinalConfiguration;
  /** Set once the workload is stopped and the final reads are done. */
  trafficStopped?: boolean;
}

export function createRunState(input: Pick<RunState, 'plan' | 'platform' | 'options' | 'outcome' | 'signal' | 'workDir'>): RunState {
  const clock = createRunClock();
  const historyPath = join(input.options.scenarioDir, 'history.jsonl');
  const timelinePath = join(input.options.scenarioDir, 'timeline.jsonl');
  // A replay into the same directory starts from empty files: the recorder appends.
  writeFileSync(historyPath, '');
  writeFileSync(timelinePath, '');
  input.outcome.historyPath = historyPath;
  input.outcome.timelinePath = timelinePath;
  return {
    ...input,
    system: input.options.system ?? createSpecServerSystem(input.options.serverCommand),
    clock,
    random: createSeededRandom(input.plan.seed),
    historyPath,
    recorder: createHistoryRecorder(historyPath, clock.startNs),
    timeline: new FaultTimeline(timelinePath),
  };
}
