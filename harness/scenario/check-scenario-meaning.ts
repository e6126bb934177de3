// Checks the schema cannot express: heal names an earlier fault, fault ids are unique, fault
// parameters fit the fault, the mix has some weight, the timeline fits in the time limit.

import { faults } from '../faults/fault-registry.js';
import type { FieldProblem } from './describe-schema-errors.js';
import { formatDurationMs, parseDurationMs } from './duration.js';
import type { FieldPath } from './field-path.js';
import type { RawScenario, RawStep } from './to-scenario.js';

/** Each fault parameter and the fault that declares it. */
const faultParameters: Record<string, string> = Object.fromEntries(
  faults.flatMap((fault) => Object.keys(fault.parameters?.schema ?? {}).map((parameter) => [parameter, fault.kind])),
);

/** `written(path)`: whether the file itself sets that field (rather than a default). */
export function checkScenarioMeaning(raw: RawScenario, written: (path: FieldPath) => boolean): FieldProblem[] {
  return [...checkMix(raw), ...checkTimeline(raw.timeline, written), ...checkTimeLimit(raw)];
}

function checkMix(raw: RawScenario): FieldProblem[] {
  const mix = raw.workload.mix;
  const total = (mix.read ?? 0) + (mix.write ?? 0) + (mix.cas ?? 0) + (mix.delete ?? 0);
  if (total > 0) return [];
  return [{ path: ['workload', 'mix'], atKey: false, message: 'expected at least one operation kind with a weight above 0, got none' }];
}

function checkTimeline(timeline: RawStep[], written: (path: FieldPath) => boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const faultIds = new Set<string>();
  const faultCounts = new Map<string, number>();
  timeline.forEach((step, index) => {
    if (typeof step.fault === 'string') {
      const count = (faultCounts.get(step.fault) ?? 0) + 1;
      faultCounts.set(step.fault, count);
      const id = typeof step.id === 'string' ? step.id : `${step.fault}-${count}`;
      if (faultIds.has(id)) problems.push({ path: ['timeline', index], atKey: false, message: `fault id "${id}" is used twice: give this fault its own id` });
      faultIds.add(id);
      problems.push(...checkFaultParameters(step, index, written));
    }
    if (typeof step.heal === 'string' && step.heal !== 'all' && !faultIds.has(step.heal)) {
      const known = faultIds.size > 0 ? [...faultIds].join(', ') : 'none yet';
      problems.push({ path: ['timeline', index, 'heal'], atKey: false, message: `expected "all" or the id of an earlier fault (${known}), got "${step.heal}"` });
    }
    if (typeof step.nemesis !== 'undefined') problems.push(...checkNemesis(step, index));
  });
  return problems;
}

function checkFaultParameters(step: RawStep, index: number, written: (path: FieldPath) => boolean): FieldProblem[] {
  return Object.entries(faultParameters)
    .filter(([parameter, fault]) => step.fault !== fault && written(['timeline', index, parameter]))
    .map(([parameter, fault]) => ({
      path: ['timeline', index, parameter],
      atKey: true,
      message: `${parameter} applies only to ${fault} faults, not to ${String(step.fault)}: remove it`,
    }));
}

function checkNemesis(step: RawStep, index: number): FieldProblem[] {
  const intervalMs = parseDurationMs(step.interval) ?? 0;
  const holdMs = parseDurationMs(step.hold) ?? 0;
  if (holdMs < intervalMs) return [];
  return [{
    path: ['timeline', index, 'hold'],
    atKey: false,
    message: `expected a hold shorter than the interval (${formatDurationMs(intervalMs)}) so the cluster gets quiet time between faults, got ${formatDurationMs(holdMs)}`,
  }];
}

function checkTimeLimit(raw: RawScenario): FieldProblem[] {
  const limitMs = parseDurationMs(raw.timeLimit) ?? 0;
  const plannedMs = raw.timeline.reduce((total, step) => total + (parseDurationMs(step.wait ?? step.nemesis) ?? 0), 0);
  if (plannedMs < limitMs) return [];
  return [{
    path: ['timeLimit'],
    atKey: false,
    message: `expected more than the ${formatDurationMs(plannedMs)} the timeline's waits add up to, got ${formatDurationMs(limitMs)}`,
  }];
}
