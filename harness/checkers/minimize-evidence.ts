// Shrinks a non-linearizable set of operations to a near-minimal one that still cannot be
// linearized. Only sound removals are tried, so the result proves the anomaly on its own:
// dropping a read never makes a history less linearizable, and neither does dropping a write
// whose value no remaining operation reads or replaces.

import { decideRegister } from './decide-register.js';
import type { RegisterOperation } from './register-operation.js';

export interface MinimizeOptions {
  /** Step limit of each trial search. */
  stepLimit: number;
  /** At most this many trial searches. */
  trialLimit: number;
  /** Date.now() past which no more trials start. */
  deadline?: number;
}

/** A subset of `operations` (already known not linearizable) that is still not linearizable. */
export function minimizeEvidence(operations: readonly RegisterOperation[], options: MinimizeOptions = { stepLimit: 200_000, trialLimit: 400 }): RegisterOperation[] {
  let kept = [...operations];
  let trials = 0;
  // Chunks are tried from the end, so the earliest way the anomaly shows is the one kept.
  for (let chunk = Math.max(1, Math.ceil(kept.length / 2)); chunk >= 1 && trials < options.trialLimit; chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2)) {
    for (let end = kept.length; end > 0 && trials < options.trialLimit; end -= chunk) {
      const dropped = new Set(kept.slice(Math.max(0, end - chunk), end));
      const trial = kept.filter((operation) => !dropped.has(operation));
      if (trial.length === kept.length || !isSoundRemoval(trial, dropped)) continue;
      if (options.deadline !== undefined && Date.now() > options.deadline) return kept;
      trials++;
      if (decideRegister(trial, options.stepLimit) === 'not-linearizable') kept = trial;
    }
  }
  return kept;
}

/** Every dropped write is one whose value no remaining operation consumes. */
function isSoundRemoval(remaining: readonly RegisterOperation[], dropped: ReadonlySet<RegisterOperation>): boolean {
  const consumed = new Set<string | null>();
  for (const operation of remaining) {
    if (operation.kind === 'read') consumed.add(operation.value);
    else if (operation.kind === 'cas') consumed.add(operation.from);
  }
  for (const operation of dropped) {
    if (operation.kind !== 'read' && consumed.has(operation.value)) return false;
  }
  return true;
}
