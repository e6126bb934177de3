// What the zone fast path alone can decide about one key's history, in polynomial time: run on
// the main thread for every key, before any search.

import { checkByZones } from './check-by-zones.js';
import type { RegisterOperation } from './register-operation.js';

export type ZoneDecision =
  | { outcome: 'linearizable' }
  | { outcome: 'not-linearizable'; operations: readonly RegisterOperation[]; operationIds: number[] }
  | { outcome: 'undecided' };

/**
 * Linearizable, not (with the conflicting operations of `operations`, the history the conflict
 * was found in), or undecided (the search must settle it).
 */
export function decideByZones(operations: readonly RegisterOperation[]): ZoneDecision {
  const zones = checkByZones(operations);
  if (zones.result === 'linearizable') return { outcome: 'linearizable' };
  if (zones.result === 'not-linearizable') return { outcome: 'not-linearizable', operations, operationIds: zones.operationIds };
  // Deletes make "absent" ambiguous. Without the reads of absent, and with every cas from absent
  // relaxed to a plain write, the fast path applies again. Both changes only allow more orders, so
  // whatever it finds there is an anomaly of the whole history too.
  const relaxed = relaxAbsent(operations);
  if (relaxed !== null) {
    const reduced = checkByZones(relaxed);
    if (reduced.result === 'not-linearizable') return { outcome: 'not-linearizable', operations: relaxed, operationIds: reduced.operationIds };
  }
  return { outcome: 'undecided' };
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
