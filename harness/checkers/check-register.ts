// Checks one key's history and, when it is not linearizable, gathers the evidence: a
// near-minimal set of operations that cannot be ordered and the longest linearizable prefix.

import { checkByZones } from './check-by-zones.js';
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
  | { outcome: 'not-linearizable'; method: 'zones' | 'search'; evidenceIds: number[]; prefix: LinearizablePrefix | null };

export function checkRegister(operations: readonly RegisterOperation[], stepLimit = Infinity): RegisterResult {
  const zones = checkByZones(operations);
  if (zones.result === 'linearizable') return { outcome: 'linearizable', method: 'zones' };
  if (zones.result === 'not-linearizable') return zoneAnomaly(operations, zones.operationIds, stepLimit);
  // Deletes make "absent" ambiguous. Without the reads of absent, and with every cas from absent
  // relaxed to a plain write, the fast path applies again. Both changes only allow more orders, so
  // whatever it finds there is an anomaly of the whole history too.
  const withoutAbsentReads = relaxAbsent(operations);
  if (withoutAbsentReads !== null) {
    const reduced = checkByZones(withoutAbsentReads);
    if (reduced.result === 'not-linearizable') return zoneAnomaly(withoutAbsentReads, reduced.operationIds, stepLimit);
  }
  const searched = searchLinearization(operations, stepLimit);
  if (searched !== 'not-linearizable') return searched === 'exceeded' ? { outcome: 'exceeded' } : { outcome: 'linearizable', method: 'search' };
  const prefix = longestPrefix(operations, stepLimit);
  const failing = prefix === null ? [...operations] : truncateRegisterOperations(operations, prefix.failsAtNs);
  const evidence = minimizeEvidence(failing, { stepLimit: Math.min(stepLimit, 200_000), trialLimit: 400 });
  return { outcome: 'not-linearizable', method: 'search', evidenceIds: evidence.map((operation) => operation.id), prefix };
}

/** The history without reads of absent and with cas from absent turned into writes; null if nothing changes. */
function relaxAbsent(operations: readonly RegisterOperation[]): RegisterOperation[] | null {
  let changed = false;
  const relaxed: RegisterOperation[] = [];
  for (const operation of operations) {
    if (operation.kind === 'read' && operation.value === null) changed = true;
    else if (operation.kind === 'cas' && operation.from === null) {
      changed = true;
      relaxed.push({ ...operation, kind: 'write' });
    } else relaxed.push(operation);
  }
  return changed ? relaxed : null;
}

/** Evidence for an anomaly the fast path found, taken from the shortest failing prefix so it shows the first way it appears. */
function zoneAnomaly(operations: readonly RegisterOperation[], operationIds: number[], stepLimit: number): RegisterResult {
  const prefix = longestPrefix(operations, stepLimit);
  const failing = prefix === null ? operations : truncateRegisterOperations(operations, prefix.failsAtNs);
  const firstZones = checkByZones(failing);
  const ids = new Set(firstZones.result === 'not-linearizable' ? firstZones.operationIds : operationIds);
  const candidate = (firstZones.result === 'not-linearizable' ? failing : operations).filter((operation) => ids.has(operation.id));
  // The candidate is verified on its own; should it ever not be, shrink the whole failing prefix instead.
  const verified = searchLinearization(candidate, 1_000_000) === 'not-linearizable';
  const evidence = minimizeEvidence(verified ? candidate : failing, { stepLimit: Math.min(stepLimit, 200_000), trialLimit: 400 });
  return { outcome: 'not-linearizable', method: 'zones', evidenceIds: evidence.map((operation) => operation.id), prefix };
}

/** Binary search over the cut times for the longest linearizable prefix; null if undecided. */
export function longestPrefix(operations: readonly RegisterOperation[], stepLimit: number): LinearizablePrefix | null {
  const times = cutTimes(operations);
  let low = -1; // cut index known linearizable (-1: the empty history)
  let high = times.length - 1; // cut index known not linearizable (the whole history)
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    const outcome = decideRegister(truncateRegisterOperations(operations, times[middle]!), stepLimit);
    if (outcome === 'exceeded') return null;
    if (outcome === 'linearizable') low = middle;
    else high = middle;
  }
  const untilNs = low < 0 ? (times[0] ?? 0) - 1 : times[low]!;
  return { untilNs, operations: operations.filter((operation) => operation.invokeNs <= untilNs).length, failsAtNs: times[high] ?? untilNs };
}

function cutTimes(operations: readonly RegisterOperation[]): number[] {
  const times = new Set<number>();
  for (const operation of operations) {
    times.add(operation.invokeNs);
    if (Number.isFinite(operation.completeNs)) times.add(operation.completeNs);
  }
  return [...times].sort((a, b) => a - b);
}
