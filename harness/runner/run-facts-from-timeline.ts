// Pure: the run facts the checkers read, from the fault timeline and what the runner saw.

import type { FaultWindow, FaultWindowEvidence, FinalConfiguration, LeaderChange, RunFacts } from '../checkers/run-facts.js';
import type { FaultEvidence } from '../faults/fault.js';
import type { ChecksPlan } from '../scenario/plan.js';
import type { FaultRecord } from './fault-timeline.js';

export interface RunFactsInput {
  records: readonly FaultRecord[];
  /** When the run's faults ended at the latest (a fault never healed lasts until then). */
  endNs: number;
  finalReadsStartNs?: number;
  leaderChanges: readonly LeaderChange[];
  checks: ChecksPlan;
  finalConfiguration?: FinalConfiguration;
}

export function runFactsFromTimeline(input: RunFactsInput): RunFacts {
  const facts: RunFacts = {
    faultWindows: input.records.map((record) => faultWindow(record, input.endNs)),
    checks: { linearizable: input.checks.linearizable, noLostWrites: input.checks.noLostWrites, noPhantomValues: input.checks.noPhantomValues, budgetMs: input.checks.checkerBudgetMs },
    leaderChanges: [...input.leaderChanges],
    limits: { minOpsAroundFault: input.checks.minOpsAroundFault, ...(input.checks.recoveryMsMax !== undefined ? { recoveryMsMax: input.checks.recoveryMsMax } : {}) },
  };
  if (input.finalReadsStartNs !== undefined) facts.finalReadsStartNs = input.finalReadsStartNs;
  if (input.finalConfiguration !== undefined) facts.finalConfiguration = input.finalConfiguration;
  return facts;
}

function faultWindow(record: FaultRecord, endNs: number): FaultWindow {
  const window: FaultWindow = { name: record.id, fault: record.fault, startNs: record.startNs, endNs: record.healNs ?? endNs, targets: [...record.targets] };
  const evidence = windowEvidence({ ...record.startEvidence, ...record.healEvidence });
  if (evidence !== undefined) window.evidence = evidence;
  return window;
}

const stringMap = (value: unknown): Record<string, string> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((entry) => typeof entry === 'string') ? (value as Record<string, string>) : undefined;

function windowEvidence(evidence: FaultEvidence): FaultWindowEvidence | undefined {
  const window: FaultWindowEvidence = {};
  const instanceBefore = stringMap(evidence.instanceBefore);
  const instanceAfter = stringMap(evidence.instanceAfter);
  if (instanceBefore !== undefined && instanceAfter !== undefined) {
    window.instanceBefore = instanceBefore;
    window.instanceAfter = instanceAfter;
  }
  if (Array.isArray(evidence.answeredWhilePaused)) window.answeredWhilePaused = evidence.answeredWhilePaused.map(String);
  if (typeof evidence.termBefore === 'number' && typeof evidence.termAfter === 'number') {
    window.termBefore = evidence.termBefore;
    window.termAfter = evidence.termAfter;
  }
  const links = evidence.linksCut ?? evidence.linksShaped;
  if (Array.isArray(links)) window.links = links.map(String);
  if (Array.isArray(evidence.addedVoters) && Array.isArray(evidence.votersAfterAdd)) {
    window.addedVoters = evidence.addedVoters.map(String);
    window.votersAfterAdd = evidence.votersAfterAdd.map(String);
  }
  if (Array.isArray(evidence.removedVoters) && Array.isArray(evidence.votersAfterRemove)) {
    window.removedVoters = evidence.removedVoters.map(String);
    window.votersAfterRemove = evidence.votersAfterRemove.map(String);
  }
  return Object.keys(window).length === 0 ? undefined : window;
}
