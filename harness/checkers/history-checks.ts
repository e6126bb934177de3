// The checks of one history, fed one key at a time: its operations in order of invocation, keys
// in the order of their first operation. Which checks run follows the options and the run facts.

import { MalformedHistoryError } from '../history/malformed-history-error.js';
import type { Operation } from '../history/operation.js';
import type { OperationRows } from '../history/operation-rows.js';
import type { RunFactsCheck } from './check-run-facts.js';
import type { SettledKey } from './key-settler.js';
import { LinearizableCheck } from './linearizable-checker.js';
import { NoPhantomValuesCheck } from './no-phantom-values-checker.js';
import type { RunFacts } from './run-facts.js';
import type { Verdict } from './verdict.js';

export interface CheckHistoryOptions {
  /** Budget of the linearizability search in milliseconds; past it that verdict is unknown. */
  budgetMs: number;
  /** For error messages about malformed histories: the file and each event's line in it. */
  fileName?: string;
  lines?: readonly number[];
  /** Checks to skip; by default those the facts say the run turned off (`facts.checks`). */
  skip?: { linearizable?: boolean; noLostWrites?: boolean; noPhantomValues?: boolean };
  /** Hears of each key the checks will not ask for again (finish's `operationOf` never names its operations). */
  onKeyDone?: (key: string) => void;
}

/** One key's operations: read row by row, or made all at once when a check needs them so. */
export interface KeyOperations extends OperationRows {
  operations(): readonly Operation[];
}

export interface HistoryChecks {
  /**
   * Keys in any order (the report follows their first operations). `settled`: what another thread
   * already found (key-settler.ts); the checks it covers skip the key.
   */
  addKey(key: string, keyOperations: KeyOperations, settled?: SettledKey): void;
  /** The linearizability budget runs from now (a streamed history: once it has been read). */
  restartBudget(): void;
  /** Resolves once at most `operationsMax` operations wait for the linearizability search. */
  searchCaughtUp(operationsMax: number): Promise<void>;
  /** Stops the search thread of a check that will not finish (a malformed history). */
  abandon(): Promise<void>;
  /** The verdicts; `operationOf` gives any operation by its index, for evidence. */
  finish(operationCount: number, operationOf: (index: number) => Operation): Promise<Verdict[]>;
}

/** The linearizability budget starts now: create the checks once the history is read. */
export async function createHistoryChecks(facts: RunFacts | undefined, options: CheckHistoryOptions): Promise<HistoryChecks> {
  const skip = options.skip ?? skippedByFacts(facts);
  const onKeyDone = options.onKeyDone;
  const linearizable = skip.linearizable ? undefined : new LinearizableCheck({ budgetMs: options.budgetMs, ...(onKeyDone ? { onKeyLinearizable: onKeyDone } : {}) });
  const phantoms = skip.noPhantomValues ? undefined : new NoPhantomValuesCheck();
  // Loaded only with facts: `harness check` of a bare history does without these modules.
  const runFacts: RunFactsCheck | undefined = facts === undefined ? undefined : new (await import('./check-run-facts.js')).RunFactsCheck(facts, { noLostWrites: !skip.noLostWrites });
  return {
    addKey(key, keyOperations, settled) {
      let byZones = settled?.linearizable === true;
      if (byZones) linearizable?.addLinearizableKey(key, keyOperations.length, keyOperations.view(0).index);
      else byZones = linearizable?.addKey(key, keyOperations) === true;
      // A key the zone decision finds linearizable has no phantom read: a read of a value no
      // operation that may have taken effect wrote is a violation there (check-by-zones.ts).
      if (!byZones && !settled?.phantomFree) phantoms?.addKey(keyOperations);
      runFacts?.addKey(key, keyOperations.operations());
      // Only the linearizability evidence names operations by index later; without that check no key is asked for again.
      if (byZones || linearizable === undefined) onKeyDone?.(key);
    },
    restartBudget() {
      linearizable?.restartBudget();
    },
    async searchCaughtUp(operationsMax) {
      await linearizable?.searchCaughtUp(operationsMax);
    },
    async abandon() {
      await linearizable?.abandon();
    },
    async finish(operationCount, operationOf) {
      const verdicts: Verdict[] = [];
      if (linearizable !== undefined) verdicts.push(await linearizable.finish(operationOf));
      if (phantoms !== undefined) verdicts.push(phantoms.finish());
      if (runFacts !== undefined) verdicts.push(...runFacts.finish());
      return verdicts;
    },
  };
}

export function noOperations(fileName: string | undefined): MalformedHistoryError {
  return new MalformedHistoryError(fileName ?? 'the history', 1, 'file', 'no operations: a history without one proves nothing (SPEC section 3); did the run start its workload?');
}

function skippedByFacts(facts: RunFacts | undefined): NonNullable<CheckHistoryOptions['skip']> {
  const checks = facts?.checks;
  if (checks === undefined) return {};
  return { linearizable: !checks.linearizable, noLostWrites: !checks.noLostWrites, noPhantomValues: !checks.noPhantomValues };
}
