// Checks one key's history and, when it is not linearizable, gathers the evidence: a
// near-minimal set of operations that cannot be ordered and the longest linearizable prefix.

import { checkByZones } from './check-by-zones.js';
import { decideByZones } from './decide-by-zones.js';
import { decideRegister } from './decide-register.js';
import { minimizeEvidence } from './minimize-evidence.js';
import { truncateRegisterOperations, type RegisterOperation } from './register-operation.js';
import { searchLinearization } from './search-linearization.js';

export interface LinearizablePrefix {
  /** The history cut at this time (ns) is linearizable ... */
  untilNs: number;
  /** ... and this many of the key's operations were invoked by then. */
  operations: number;
  /** The first cut that is not: the completion that made it impossible. */
  failsAtNs: number;
}

export type RegisterResult =
  | { outcome: 'linearizable'; method: 'zones' | 'search' }
  | { outcome: 'exceeded' }
  | {
      outcome: 'not-linearizable';
      method: 'zones' | 'search';
      evidenceIds: number[];
      prefix: LinearizablePrefix | null;
      /** false: the evidence is every operation of the key, not yet narrowed down. */
      narrowed?: false;
    };

export function checkRegister(operations: readonly RegisterOperation[], stepLimit = Infinity): RegisterResult {
  const zones = decideByZones(operations);
  if (zones.outcome === 'linearizable') return { outcome: 'linearizable', method: 'zones' };
  if (zones.outcome === 'not-linearizable') return zoneEvidence(zones.operations, zones.operationIds, { stepLimit });
  return searchRegister(operations, stepLimit);
}

/**
 * checkRegister for a history the zone fast path has already found undecided. `onDecided` hears
 * of an anomaly as soon as the search finds it, with every operation as evidence, before the
 * evidence is narrowed down (which can take much longer).
 */
export function searchRegister(operations: readonly RegisterOperation[], stepLimit = Infinity, onDecided?: (result: RegisterResult) => void): RegisterResult {
  const searched = searchLinearization(operations, stepLimit);
  if (searched !== 'not-linearizable') return searched === 'exceeded' ? { outcome: 'exceeded' } : { outcome: 'linearizable', method: 'search' };
  onDecided?.({ outcome: 'not-linearizable', method: 'search', evidenceIds: operations.map((operation) => operation.id), prefix: null, narrowed: false });
  const prefix = longestPrefix(operations, stepLimit);
  const failing = prefix === null ? [...operations] : truncateRegisterOperations(operations, prefix.failsAtNs);
  const evidence = minimizeEvidence(failing, { stepLimit: Math.min(stepLimit, 200_000), trialLimit: 400 });
  return { outcome: 'not-linearizable', method: 'search', evidenceIds: evidence.map((operation) => operation.id), prefix };
}

export interface EvidenceLimits {
  /** Search steps of each decision; 0 keeps to what the zone fast path decides (polynomial). */
  stepLimit: number;
  /** Date.now() past which the shrinking stops and keeps what it has (still a proof). */
  deadline?: number;
}

/**
 * Evidence for an anomaly the fast path found in `operations` (the conflicting `operationIds`),
 * taken from the shortest failing prefix so it shows the first way it appears. Every prefix and
 * subset of a history the fast path applies to is one it applies to as well, so with a step limit
 * of 0 this stays polynomial, and exact.
 */
export function zoneEvidence(operations: readonly RegisterOperation[], operationIds: readonly number[], limits: EvidenceLimits): RegisterResult {
  const byId = new Map(operations.map((operation) => [operation.id, operation]));
  const conflictDoneNs = operationIds.reduce((latest, id) => Math.max(latest, byId.get(id)?.completeNs ?? Infinity), -Infinity);
  const prefix = longestPrefix(operations, limits.stepLimit, Number.isFinite(conflictDoneNs) ? conflictDoneNs : undefined);
  const failing = prefix === null ? operations : truncateRegisterOperations(operations, prefix.failsAtNs);
  const firstZones = checkByZones(failing);
  const ids = new Set(firstZones.result === 'not-linearizable' ? firstZones.operationIds : operationIds);
  const candidate = (firstZones.result === 'not-linearizable' ? failing : operations).filter((operation) => ids.has(operation.id));
  // The candidate is verified on its own; should it ever not be, shrink the whole failing prefix instead.
  const verified = decideRegister(candidate, Math.min(limits.stepLimit, 1_000_000)) === 'not-linearizable';
  const evidence = minimizeEvidence(verified ? candidate : failing, { stepLimit: Math.min(limits.stepLimit, 200_000), trialLimit: 400, ...(limits.deadline === undefined ? {} : { deadline: limits.deadline }) });
  return { outcome: 'not-linearizable', method: 'zones', evidenceIds: evidence.map((operation) => operation.id), prefix };
}

/**
 * Binary search over the cut times for the longest linearizable prefix; null if undecided.
 * `failsByNs`, a guess of a cut that already fails (such as the last completion among the
 * operations in conflict), starts the search there and gallops back from it: the first failing
 * cut is most often just before, and each trial then decides a prefix near it instead of halves
 * of the whole history.
 */
export function longestPrefix(operations: readonly RegisterOperation[], stepLimit: number, failsByNs?: number): LinearizablePrefix | null {
  const times = cutTimes(operations);
  let low = -1; // cut index known linearizable (-1: the empty history)
  let high = times.length - 1; // cut index known not linearizable (the whole history)
  const decide = (cut: number) => decideRegister(truncateRegisterOperations(operations, times[cut]!), stepLimit);
  if (failsByNs !== undefined) {
    const guess = lastAtOrBefore(times, failsByNs);
    if (guess >= 0 && guess < high) {
      const outcome = decide(guess);
      if (outcome === 'exceeded') return null;
      if (outcome === 'linearizable') low = guess;
      else high = guess;
    }
    // Back from a failing guess by 1, 2, 4 ... cuts until one is linearizable.
    for (let back = high === guess ? 1 : 0; back > 0 && high - back > low; back *= 2) {
      const outcome = decide(high - back);
      if (outcome === 'exceeded') return null;
      if (outcome === 'linearizable') {
        low = high - back;
        break;
      }
      high -= back;
    }
  }
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    const outcome = decide(middle);
    if (outcome === 'exceeded') return null;
    if (outcome === 'linearizable') low = middle;
    else high = middle;
  }
  const untilNs = low < 0 ? (times[0] ?? 0) - 1 : times[low]!;
  return { untilNs, operations: operations.filter((operation) => operation.invokeNs <= untilNs).length, failsAtNs: times[high] ?? untilNs };
}

/** Index of the last of the sorted `times` at or before `timeNs`, or -1. */
function lastAtOrBefore(times: readonly number[], timeNs: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle]! <= timeNs) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

function cutTimes(operations: readonly RegisterOperation[]): number[] {
  const times = new Set<number>();
  for (const operation of operations) {
    times.add(operation.invokeNs);
    if (Number.isFinite(operation.completeNs)) times.add(operation.completeNs);
  }
  return [...times].sort((a, b) => a - b);
}
