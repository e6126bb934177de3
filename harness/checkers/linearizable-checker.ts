// The linearizability check of a whole history: per key (P-compositionality), a register with
// read, write, cas and delete. Small keys are settled inline under a step limit; the rest go to a
// worker thread that is terminated at the deadline, which makes the verdict `unknown`.

import { Worker } from 'node:worker_threads';
import type { Operation } from '../history/operation.js';
import { checkRegister, type RegisterResult } from './check-register.js';
import { describeAnomaly } from './describe-anomaly.js';
import { formatSeconds } from './format-seconds.js';
import { operationEvidence } from './operation-evidence.js';
import { toRegisterOperations } from './register-operation.js';
import type { Verdict } from './verdict.js';
import type { WorkerJob } from './linearizability-worker.js';

export interface LinearizableOptions {
  /** Wall-clock budget of the whole check; keys not settled by then make the verdict unknown. */
  budgetMs: number;
  /** Search steps a key may take on the main thread before it is handed to the worker. */
  inlineStepLimit?: number;
}

type KeyResults = Map<string, RegisterResult | undefined>;

export async function checkLinearizable(operations: readonly Operation[], options: LinearizableOptions): Promise<Verdict> {
  const deadline = Date.now() + options.budgetMs;
  const byKey = groupByKey(operations);
  const results: KeyResults = new Map();
  const deferred: WorkerJob[] = [];
  for (const [key, keyOperations] of byKey) {
    const registerOperations = toRegisterOperations(keyOperations);
    if (Date.now() > deadline) {
      results.set(key, undefined);
      continue;
    }
    const result = checkRegister(registerOperations, options.inlineStepLimit ?? 50_000);
    if (result.outcome === 'exceeded') deferred.push({ key, operations: registerOperations });
    results.set(key, result.outcome === 'exceeded' ? undefined : result);
  }
  const workerError = deferred.length > 0 ? await runInWorker(deferred, results, deadline - Date.now()) : null;
  return linearizableVerdict(results, operations, options.budgetMs, workerError);
}

function groupByKey(operations: readonly Operation[]): Map<string, Operation[]> {
  const byKey = new Map<string, Operation[]>();
  for (const operation of operations) {
    const list = byKey.get(operation.key);
    if (list === undefined) byKey.set(operation.key, [operation]);
    else list.push(operation);
  }
  return byKey;
}

/**
 * Fills in `results` for the deferred keys that the worker settles before `remainingMs` runs out.
 * Resolves with the worker's error message if it failed (its keys then stay unknown).
 */
function runInWorker(jobs: WorkerJob[], results: KeyResults, remainingMs: number): Promise<string | null> {
  if (remainingMs <= 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./linearizability-worker.js', import.meta.url), { workerData: { jobs } });
    let pending = jobs.length;
    const finish = (error?: Error) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(error ? error.message : null);
    };
    const timer = setTimeout(() => finish(), remainingMs);
    worker.on('message', (message: { key: string; result: RegisterResult }) => {
      results.set(message.key, message.result);
      if (--pending === 0) finish();
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', () => finish());
  });
}

function linearizableVerdict(results: KeyResults, operations: readonly Operation[], budgetMs: number, workerError: string | null): Verdict {
  const anomalies = [...results].filter(([, result]) => result?.outcome === 'not-linearizable');
  const unknownKeys = [...results].filter(([, result]) => result === undefined).map(([key]) => key);
  const counts = { keys: results.size, operationsChecked: operations.length, searched: [...results.values()].filter((result) => result !== undefined && result.outcome !== 'exceeded' && result.method === 'search').length };
  if (anomalies.length > 0) {
    const [key, result] = anomalies.sort(([, a], [, b]) => failsAt(a) - failsAt(b))[0]!;
    return anomalyVerdict(key, result as Extract<RegisterResult, { outcome: 'not-linearizable' }>, operations, anomalies.map(([k]) => k), unknownKeys, counts);
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
  return { check: 'linearizable', valid: true, summary: `${results.size} keys, ${operations.length} operations linearizable`, evidence: counts };
}

function failsAt(result: RegisterResult | undefined): number {
  return result?.outcome === 'not-linearizable' ? (result.prefix?.failsAtNs ?? Infinity) : Infinity;
}

function anomalyVerdict(
  key: string,
  result: Extract<RegisterResult, { outcome: 'not-linearizable' }>,
  operations: readonly Operation[],
  anomalousKeys: string[],
  unknownKeys: string[],
  counts: Record<string, number>,
): Verdict {
  const byIndex = new Map(operations.map((operation) => [operation.index, operation]));
  const evidence = result.evidenceIds.map((id) => byIndex.get(id)!).sort((a, b) => a.invokeNs - b.invokeNs);
  return {
    check: 'linearizable',
    valid: false,
    summary: describeAnomaly(key, evidence),
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

