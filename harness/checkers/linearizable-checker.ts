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
import { columnBuffers, toColumns } from './register-operation-columns.js';
import type { Verdict } from './verdict.js';
import { Worker } from 'node:worker_threads';
import type { WorkerJob, WorkerMessage, WorkerRequest } from './linearizability-worker.js';

export interface LinearizableOptions {
  /** Wall-clock budget of the whole check; keys not settled by then make the verdict unknown. */
  budgetMs: number;
  /** Hears of each key once the check no longer needs its operations: the zone decision or the search found it linearizable. */
  onKeyLinearizable?: (key: string) => void;
}

type KeyResults = Map<string, RegisterResult | undefined>;

export async function checkLinearizable(operations: readonly Operation[], options: LinearizableOptions): Promise<Verdict> {
  const check = new LinearizableCheck(options);
  for (const [key, keyOperations] of groupByKey(operations)) check.addKey(key, operationRows(keyOperations));
  const byIndex = new Map(operations.map((operation) => [operation.index, operation]));
  return check.finish((index) => byIndex.get(index)!);
}

/**
 * The check one key at a time (its operations in order of invocation), keys in any order: each
 * key gets its zone decision as it is added and can then be dropped, unless it is not linearizable
 * or needs the search, which starts on a worker thread with the first such key. `finish` waits for
 * the search and gathers the evidence of the keys that are not linearizable. Keys are reported in
 * the order of their first operation, whatever the order they came in.
 */
export class LinearizableCheck {
  readonly #budgetMs: number;
  #deadline: number;
  readonly #results: KeyResults = new Map();
  /** Each key's first operation index: the order of the report. */
  readonly #order = new Map<string, number>();
  readonly #anomalies: { key: string; operations: readonly RegisterOperation[]; operationIds: number[] }[] = [];
  readonly #search: KeySearch;
  #operationCount = 0;

  constructor(options: LinearizableOptions) {
    this.#budgetMs = options.budgetMs;
    this.#deadline = Date.now() + options.budgetMs;
    this.#search = new KeySearch(this.#results, options.onKeyLinearizable);
  }

  /** The budget runs from now: called once a streamed history has been read, as the search may have started before. */
  restartBudget(): void {
    this.#deadline = Date.now() + this.#budgetMs;
  }

  /** Returns whether the zone decision found the key linearizable. */
  addKey(key: string, keyOperations: OperationRows): boolean {
    this.#operationCount += keyOperations.length;
    this.#order.set(key, keyOperations.length === 0 ? Infinity : keyOperations.view(0).index);
    const registerOperations = registerOperationsOf(keyOperations);
    const decision = decideByZones(registerOperations);
    if (decision.outcome === 'linearizable') {
      this.#results.set(key, { outcome: 'linearizable', method: 'zones' });
      return true;
    }
    this.#results.set(key, undefined);
    if (decision.outcome === 'undecided') this.#search.add(key, this.#order.get(key)!, registerOperations);
    else this.#anomalies.push({ key, operations: decision.operations, operationIds: decision.operationIds });
    return false;
  }

  /** A key another thread found linearizable by zones, as addKey would have. */
  addLinearizableKey(key: string, operationCount: number, firstIndex: number): void {
    this.#operationCount += operationCount;
    this.#order.set(key, firstIndex);
    this.#results.set(key, { outcome: 'linearizable', method: 'zones' });
  }

  /** Resolves once at most `operationsMax` operations wait for the search: a streamed check adds keys no faster than they are searched. */
  async searchCaughtUp(operationsMax: number): Promise<void> {
    await this.#search.caughtUp(operationsMax);
  }

  /** Stops the search: the check will not finish. */
  async abandon(): Promise<void> {
    await this.#search.finish(0);
  }

  /** The verdict; `operationOf` gives any operation of the history by its index, for the evidence. */
  async finish(operationOf: (index: number) => Operation): Promise<Verdict> {
    const deadline = this.#deadline;
    // The search goes on while the evidence is gathered here, so that the two overlap.
    const searching = this.#search.finish(deadline - Date.now());
    if (this.#anomalies.length > 0) {
      const { zoneEvidence } = await import('./check-register.js');
      for (const anomaly of this.#anomalies) this.#results.set(anomaly.key, zoneEvidence(anomaly.operations, anomaly.operationIds, { stepLimit: 0, deadline }));
    }
    const workerError = await searching;
    const order = this.#order;
    const results: KeyResults = new Map([...this.#results].sort(([a], [b]) => order.get(a)! - order.get(b)!));
    return linearizableVerdict(results, { count: this.#operationCount, operationOf }, this.#budgetMs, workerError);
  }
}

interface HistoryOperations {
  count: number;
  operationOf: (index: number) => Operation;
}

/** Operations sent to the search in one message at most. */
const batchOperationsMax = 16_384;

/**
 * The search worker: started with the first key that needs it, sent keys as they come. `finish`
 * resolves once every key sent is settled or the time left ran out, having filled in the results
 * of what it settled; with the worker's error message if it failed (its keys then stay unknown).
 */
class KeySearch {
  #worker: Worker | undefined;
  #batch: WorkerJob[] = [];
  #batchOperations = 0;
  /** Operations of each key sent and not yet settled. */
  readonly #pendingOperations = new Map<string, number>();
  #pendingOperationCount = 0;
  #caughtUp: (() => void) | undefined;
  #error: string | null = null;
  #stopped = false;
  #allSettled: (() => void) | undefined;

  constructor(private readonly results: KeyResults, private readonly onKeyLinearizable: ((key: string) => void) | undefined) {}

  /** Sent with the others added in the same turn of the event loop (up to a batch's worth): one message, not one per key. */
  add(key: string, order: number, operations: readonly RegisterOperation[]): void {
    this.#pendingOperations.set(key, operations.length);
    this.#pendingOperationCount += operations.length;
    this.#batch.push({ key, order, operations: toColumns(operations) });
    this.#batchOperations += operations.length;
    if (this.#batchOperations >= batchOperationsMax) this.#send(false);
    else if (this.#batch.length === 1) setImmediate(() => this.#send(false));
  }

  /** Resolves once at most `operationsMax` operations wait for the search (or it has stopped). */
  async caughtUp(operationsMax: number): Promise<void> {
    if (this.#pendingOperationCount <= operationsMax) return;
    this.#send(false);
    while (this.#pendingOperationCount > operationsMax && this.#error === null && !this.#stopped) {
      await new Promise<void>((resolve) => (this.#caughtUp = resolve));
    }
  }

  async finish(remainingMs: number): Promise<string | null> {
    if (this.#pendingOperations.size > 0 && this.#error === null && remainingMs > 0) {
      this.#send(true);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remainingMs);
        this.#allSettled = () => {
          clearTimeout(timer);
          resolve();
        };
        if (this.#pendingOperations.size === 0 || this.#error !== null) this.#allSettled();
      });
    }
    return this.#stop();
  }

  #send(last: boolean): void {
    const jobs = this.#batch;
    this.#batch = [];
    this.#batchOperations = 0;
    if (this.#stopped || this.#error !== null || (jobs.length === 0 && !last)) return;
    this.#workerStarted().postMessage({ jobs, last } satisfies WorkerRequest, jobs.flatMap((job) => columnBuffers(job.operations)));
  }

  #workerStarted(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(new URL('./linearizability-worker.js', import.meta.url));
    worker.unref();
    worker.on('message', (message: WorkerMessage) => {
      this.results.set(message.key, message.result);
      if (!message.final) return;
      this.#pendingOperationCount -= this.#pendingOperations.get(message.key) ?? 0;
      this.#pendingOperations.delete(message.key);
      this.#caughtUp?.();
      if (message.result.outcome === 'linearizable') this.onKeyLinearizable?.(message.key);
      if (this.#pendingOperations.size === 0) this.#allSettled?.();
    });
    const failed = (error: Error | undefined) => {
      this.#error ??= error?.message ?? 'the search worker exited';
      this.#allSettled?.();
      this.#caughtUp?.();
    };
    worker.on('error', failed);
    worker.on('exit', () => failed(undefined));
    return (this.#worker = worker);
  }

  async #stop(): Promise<string | null> {
    this.#stopped = true;
    this.#caughtUp?.();
    const worker = this.#worker;
    this.#worker = undefined;
    worker?.removeAllListeners();
    await worker?.terminate();
    return this.#error;
  }
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

