// Scenario + seed -> Plan. Pure: the same inputs always give the same plan. Target choice and
// nemesis draws happen in the runner from the plan's seed.

import type { Plan, Step } from './plan.js';
import type { Scenario } from './scenario.js';
import { ScenarioError } from './scenario-problem.js';
import { planNeeds } from './step-needs.js';

export interface CompileOptions {
  seed: number;
  /** `--replicas`: overrides the scenario's cluster size. */
  replicas?: number;
  /** `--duration-scale`: multiplies every wait and nemesis duration (not timeouts). */
  durationScale?: number;
}

export function compilePlan(scenario: Scenario, options: CompileOptions): Plan {
  const replicas = options.replicas ?? scenario.cluster.replicas;
  const scale = options.durationScale ?? 1;
  const steps = scenario.timeline.map((step) => scaleStep(step, scale));
  checkNodeTargets(scenario, steps, replicas);
  const planned = steps.reduce((total, step) => total + plannedMs(step), 0);
  const extraMs = Math.max(0, planned - scenario.timeline.reduce((total, step) => total + plannedMs(step), 0));
  return {
    name: scenario.name,
    description: scenario.description,
    file: scenario.file,
    seed: options.seed,
    cluster: { ...scenario.cluster, replicas, serverEnv: { ...scenario.cluster.serverEnv } },
    workload: { ...scenario.workload, mix: { ...scenario.workload.mix } },
    steps,
    checks: { ...scenario.checks },
    needs: planNeeds(steps),
    timeLimitMs: scenario.timeLimitMs + extraMs,
  };
}

function scaleStep(step: Step, scale: number): Step {
  if (step.type === 'wait') return { ...step, durationMs: Math.round(step.durationMs * scale) };
  if (step.type === 'nemesis') {
    return { ...step, faults: [...step.faults], durationMs: Math.round(step.durationMs * scale) };
  }
  if (step.type === 'fault' || step.type === 'restart') return { ...step, target: { ...step.target } };
  return { ...step };
}

function plannedMs(step: Step): number {
  if (step.type === 'wait' || step.type === 'nemesis') return step.durationMs;
  return 0;
}

function checkNodeTargets(scenario: Scenario, steps: Step[], replicas: number): void {
  const problems = steps.flatMap((step) => {
    if ((step.type !== 'fault' && step.type !== 'restart') || step.target.kind !== 'node') return [];
    const index = Number(step.target.node.slice('raft-'.length));
    if (index < replicas) return [];
    const [file, line, column] = splitSource(step.source, scenario.file);
    return [{
      file,
      line,
      column,
      field: 'target',
      message: `expected a node of this ${replicas}-node cluster (raft-0 … raft-${replicas - 1}), got "${step.target.node}"`,
    }];
  });
  if (problems.length > 0) throw new ScenarioError(problems);
}

function splitSource(source: string, file: string): [string, number, number] {
  const match = /^(.*):(\d+):(\d+)$/.exec(source);
  return match === null ? [file, 1, 1] : [match[1], Number(match[2]), Number(match[3])];
}
