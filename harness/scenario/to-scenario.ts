// A validated scenario document (defaults filled in) -> Scenario: durations in milliseconds,
// steps in the Plan's shape, each with where it was written.

import type { FieldPath } from './field-path.js';
import { faultKinds, faultOf } from '../faults/fault-registry.js';
import { validatedDurationMs as ms } from './duration.js';
import type { FaultKind, Step, TargetSelector } from './plan.js';
import type { Scenario } from './scenario.js';
import type { FromSchema } from 'json-schema-to-ts';
import { scenarioSchema, targetNames } from './scenario-schema.js';

export type RawDuration = number | string;
export type RawStep = Record<string, unknown>;

/** A scenario document as validation leaves it (defaults filled in), derived from its schema. */
export type RawScenario = FromSchema<typeof scenarioSchema, { parseNotKeyword: false }>;

/** `file:line:column` of the value at a path. */
export type SourceOf = (path: FieldPath) => string;

export function toScenario(raw: RawScenario, file: string, sourceOf: SourceOf): Scenario {
  const { cluster, workload, checks } = raw;
  const mixTotal = (workload.mix.read ?? 0) + (workload.mix.write ?? 0) + (workload.mix.cas ?? 0) + (workload.mix.delete ?? 0);
  return {
    name: raw.name,
    description: raw.description.trim(),
    file,
    cluster: { replicas: cluster.replicas, serverEnv: { ...cluster.env }, restartDelayMs: ms(cluster.restartDelay) },
    workload: {
      clients: workload.clients,
      keys: workload.keys,
      opsPerKey: workload.opsPerKey,
      infoPerKey: workload.infoPerKey,
      ratePerSecond: workload.rate,
      mix: {
        read: (workload.mix.read ?? 0) / mixTotal,
        write: (workload.mix.write ?? 0) / mixTotal,
        cas: (workload.mix.cas ?? 0) / mixTotal,
        delete: (workload.mix.delete ?? 0) / mixTotal,
      },
      requestTimeoutMs: ms(workload.requestTimeout),
    },
    timeline: toSteps(raw.timeline, sourceOf),
    checks: {
      linearizable: checks.linearizable,
      noLostWrites: checks.lostWrites,
      noPhantomValues: checks.phantom,
      ...(checks.recoveryLimit !== undefined ? { recoveryMsMax: ms(checks.recoveryLimit) } : {}),
      minOpsAroundFault: checks.minOpsAroundFault,
      healthyAfterMsMax: ms(checks.healthyAfter),
      checkerBudgetMs: ms(checks.checkerBudget),
    },
    timeLimitMs: ms(raw.timeLimit),
    inAll: raw.inAll,
  };
}

function toSteps(timeline: RawStep[], sourceOf: SourceOf): Step[] {
  const faultCounts = new Map<string, number>();
  return timeline.map((step, index) => {
    const source = sourceOf(['timeline', index]);
    if ('fault' in step) {
      const fault = step.fault as FaultKind;
      const count = (faultCounts.get(fault) ?? 0) + 1;
      faultCounts.set(fault, count);
      return toFaultStep(step, fault, count, source);
    }
    return toOtherStep(step, source);
  });
}

function toFaultStep(step: RawStep, fault: FaultKind, count: number, source: string): Step {
  return {
    type: 'fault',
    id: typeof step.id === 'string' ? step.id : `${fault}-${count}`,
    fault,
    target: toTarget(typeof step.target === 'string' ? step.target : faultOf(fault).defaultTarget),
    ...parametersOf(step, fault),
    source,
  };
}

function parametersOf(step: RawStep, fault: FaultKind): { parameters?: Readonly<Record<string, number>> } {
  const declared = faultOf(fault).parameters;
  return declared === undefined ? {} : { parameters: declared.toStep(step) };
}

function toOtherStep(step: RawStep, source: string): Step {
  if ('wait' in step) return { type: 'wait', durationMs: ms(step.wait as RawDuration), source };
  if ('heal' in step) return { type: 'heal', faultId: step.heal as string, source };
  if ('restart' in step) {
    return { type: 'restart', target: toTarget(step.restart as string), rolling: step.rolling as boolean, source };
  }
  if ('wait-for-leader' in step) return { type: 'wait-for-leader', timeoutMs: ms(step['wait-for-leader'] as RawDuration), source };
  if ('wait-for-healthy' in step) return { type: 'wait-for-healthy', timeoutMs: ms(step['wait-for-healthy'] as RawDuration), source };
  return {
    type: 'nemesis',
    durationMs: ms(step.nemesis as RawDuration),
    faults: step.faults === 'supported' ? [...faultKinds] : (step.faults as FaultKind[]),
    ...(step.faults === 'supported' ? { supportedOnly: true } : {}),
    intervalMs: ms(step.interval as RawDuration),
    holdMs: ms(step.hold as RawDuration),
    source,
  };
}

export function toTarget(name: string): TargetSelector {
  if ((targetNames as readonly string[]).includes(name)) return { kind: name } as TargetSelector;
  return { kind: 'node', node: name };
}
