// The linearizability check of a whole history: per key (P-compositionality), a register with
// read, write, cas and delete. The main thread runs only polynomial work: the zone decision
// (decide-by-zones.ts) on every key, and for the anomalies it finds, their evidence, still from
// the fast path alone. The keys it cannot settle go to a worker thread for the search, which is
// terminated at the deadline; those keys are then `unknown`, unless the search had found them not
// linearizable before its evidence was narrowed down.

import { groupByKey } from '../history/group-by-key.js';
import type { Operation } from '../history/operation.js';
import { operationRows, type OperationRows } from '../history/operation-rows.js';
import type { RegisterResult } from './check-register.js';
import { decideByZones } from './decide-by-zones.js';
import { describeAnomaly } from './describe-anomaly.js';
import { formatSeconds } from './format-seconds.js';
import { operationEvidence } from './operation-evidence.js';
import { registerOperationsOf, type RegisterOperation } from './register-operation.js';
import type { Verdict } from './verdict.js';
import type { WorkerJob, WorkerMessage } from './linearizability-worker.js';

export interface LinearizableOptions {
  /** Wall-clock budget of the whole check; keys not settled by then make the verdict unknown. */
  budgetMs: number;
}

type KeyResults = Map<string, RegisterResult | undefined>;

export async function checkLinearizable(operations: readonly Operation[], options: LinearizableOptions): Promise<Verdict> {
  const check = new LinearizableCheck(options);
  for (const [key, keyOperations] of groupByKey(operations)) check.addKey(key, operationRows(keyOperations));
  const byIndex = new Map(operations.map((operation) => [operation.index, operation]));
  return check.finish((index) => byIndex.get(index)!);
}

/**
 * The check one key at a time (its operations in order of invocation), for histories streamed
 * from a file: each key gets its zone decision as it is added and can then be dropped; `finish`
 * searches the keys left undecided and gathers the evidence of those that are not linearizable.
 */
export class LinearizableCheck {
  readonly #budgetMs: number;
  /** The budget runs from the first key on. */
  readonly #deadline: number;
  readonly #results: KeyResults = new Map();
  readonly #jobs: WorkerJob[] = [];
  readonly #anomalies: { key: string; operations: readonly RegisterOperation[]; operationIds: number[] }[] = [];
  #operationCount = 0;

  constructor(options: LinearizableOptions) {
    this.#budgetMs = options.budgetMs;
    this.#deadline = Date.now() + options.budgetMs;
  }

  /** Returns whether the zone decision found the key linearizable. */
  addKey(key: string, keyOperations: OperationRows): boolean {
    this.#operationCount += keyOperations.length;
    const registerOperations = registerOperationsOf(keyOperations);
    const decision = decideByZones(registerOperations);
    if (decision.outcome === 'linearizable') {
      this.#results.set(key, { outcome: 'linearizable', method: 'zones' });
      return true;
    }
    this.#results.set(key, undefined);
    if (decision.outcome === 'undecided') this.#jobs.push({ key, operations: registerOperations });
    else this.#anomalies.push({ key, operations: decision.operations, operationIds: decision.operationIds });
    return false;
  }

  /** A key another thread found linearizable by zones, as addKey would have. */
  addLinearizableKey(key: string, operationCount: number): void {
    this.#operationCount += operationCount;
    this.#results.set(key, { outcome: 'linearizable', method: 'zones' });
  }

  /** The verdict; `operationOf` gives any operation of the history by its index, for the evidence. */
  async finish(operationOf: (index: number) => Operation): Promise<Verdict> {
    const results = this.#results;
    const deadline = this.#deadline;
    // Smallest first, so that one hard key leaves the others decided.
    const jobs = this.#jobs.sort((a, b) => a.operations.length - b.operations.length);
    // The worker starts before the evidence is gathered here, so that the two overlap.
    const searching = jobs.length > 0 ? (await startSearch(jobs, results, deadline - Date.now())).done : Promise.resolve(null);
    if (this.#anomalies.length > 0) {
      const { zoneEvidence } = await import('./check-register.js');
      for (const anomaly of this.#anomalies) results.set(anomaly.key, zoneEvidence(anomaly.operations, anomaly.operationIds, { stepLimit: 0, deadline }));
    }
    const workerError = await searching;
    return linearizableVerdict(results, { count: this.#operationCount, operationOf }, this.#budgetMs, workerError);
  }
}

interface HistoryOperations {
  count: number;
  operationOf: (index: number) => Operation;
}

/**
 * Starts the worker on `jobs`. `done` resolves once it has settled them all or `remainingMs` ran
 * out, having filled in `results` for what it settled; with the worker's error message if it
 * failed (its keys then stay unknown).
 */
async function startSearch(jobs: WorkerJob[], results: KeyResults, remainingMs: number): Promise<{ done: Promise<string | null> }> {
  if (remainingMs <= 0) return { done: Promise.resolve(null) };
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(new URL('./linearizability-worker.js', import.meta.url), { workerData: { jobs } });
  const done = new Promise<string | null>((resolve) => {
    let pending = jobs.length;
    const finish = (error?: Error) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(error ? error.message : null);
    };
    const timer = setTimeout(() => finish(), remainingMs);
    worker.on('message', (message: WorkerMessage) => {
      results.set(message.key, message.result);
      if (message.final && --pending === 0) finish();
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', () => finish());
  });
  return { done };
}

function linearizableVerdict(results: KeyResults, operations: HistoryOperations, budgetMs: number, workerError: string | null): Verdict {
  const anomalies = [...results].filter(([, result]) => result?.outcome === 'not-linearizable');
  const unknownKeys = [...results].filter(([, result]) => result === undefined).map(([key]) => key);
  const counts = { keys: results.size, operationsChecked: operations.count, searched: [...results.values()].filter((result) => result !== undefined && result.outcome !== 'exceeded' && result.method === 'search').length };
  if (anomalies.length > 0) {
    const [key, result] = anomalies.sort(([, a], [, b]) => failsAt(a) - failsAt(b))[0]!;
    return anomalyVerdict(key, result as Extract<RegisterResult, { outcome: 'not-linearizable' }>, operations, anomalies.map(([k]) => k), unknownKeys, counts, budgetMs);
  }
  if (unknownKeys.length > 0) {
    return {
      check: 'linearizable',
      valid: 'unknown',
      summary:
        workerError === null
          ? `${unknownKeys.length} of ${results.size} keys not settled within the ${budgetMs} ms budget (first: ${unknownKeys[0]}); raise --budget-ms to decide them`
          : `${unknownKeys.length} of ${results.size} keys not settled: the search worker failed (${workerError}); rerun harness check on the history`,
      evidence: { unknownKeys: unknownKeys.slice(0, 50), ...counts, ...(workerError === null ? {} : { workerError }) },
    };
  }
  return { check: 'linearizable', valid: true, summary: `${results.size} keys, ${operations.count} operations linearizable`, evidence: counts };
}

function failsAt(result: RegisterResult | undefined): number {
  return result?.outcome === 'not-linearizable' ? (result.prefix?.failsAtNs ?? Infinity) : Infinity;
}

function anomalyVerdict(
  key: string,
  result: Extract<RegisterResult, { outcome: 'not-linearizable' }>,
  operations: HistoryOperations,
  anomalousKeys: string[],
  unknownKeys: string[],
  counts: Record<string, number>,
  budgetMs: number,
): Verdict {
  const evidence = result.evidenceIds.map((id) => operations.operationOf(id)).sort((a, b) => a.invokeNs - b.invokeNs);
  return {
    check: 'linearizable',
    valid: false,
    summary:
      result.narrowed === false
        ? `${key}: not linearizable, but the ${evidence.length} operations that show it were not narrowed down within the ${budgetMs} ms budget; raise --budget-ms for a minimal set`
        : describeAnomaly(key, evidence),
    evidence: {
      key,
      method: result.method,
      operations: evidence.map(operationEvidence),
      linearizablePrefix: result.prefix && { untilNs: result.prefix.untilNs, until: formatSeconds(result.prefix.untilNs), operations: result.prefix.operations, failsAtNs: result.prefix.failsAtNs },
      anomalousKeys: anomalousKeys.slice(0, 50),
      ...(unknownKeys.length > 0 ? { unknownKeys: unknownKeys.slice(0, 50) } : {}),
      ...counts,
    },
  };
}

