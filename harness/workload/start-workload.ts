// Concurrent logical clients recording the history. Each worker runs one logical process at a
// time with one operation in flight; after an indefinite result the process is retired and the
// worker continues under a fresh process number (SPEC section 3). `stop` lets operations in
// flight finish within a drain deadline, then records the ones still cut off as `info`.

import { setMaxListeners } from 'node:events';
import type { HistoryRecorder } from '../history/history-recorder.js';
import type { SeededRandom } from '../shared/seeded-random.js';
import type { WorkloadPlan } from '../scenario/plan.js';
import { classify, invokeValue, remember, send } from './apply-operation.js';
import { chooseOperation, type PlannedOperation, type ProcessMemory } from './choose-operation.js';
import { KeyPool } from './key-pool.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';
import type { WorkloadClient } from './workload-client.js';

export interface WorkloadOptions {
  plan: WorkloadPlan;
  /** One client per worker, built without de-duplication and with the plan's request timeout. */
  createClient: (worker: number) => WorkloadClient;
  recorder: Pick<HistoryRecorder, 'invoke' | 'complete'>;
  random: SeededRandom;
  progress: (line: string) => void;
  /** How long `stop` waits for operations in flight before recording them as info. */
  drainTimeoutMs: number;
  progressEveryMs?: number;
  /**
   * Changes when the clients must be rebuilt (a node moved to a new address); each worker
   * checks it between operations and replaces its client. Default: never.
   */
  clientGeneration?: () => string;
}

export interface WorkloadCounts {
  invoked: number;
  ok: number;
  fail: number;
  info: number;
}

export interface WorkloadSummary {
  counts: WorkloadCounts;
  /** Every key a write, cas or delete was invoked on. */
  keysWritten: string[];
  /** Operations still in flight at the drain deadline, recorded as info `cut_off`. */
  cutOff: number;
  /** The first process number nobody has used (for final reads). */
  nextProcess: number;
  /** A worker failure (e.g. the history could not be written); the history is then incomplete. */
  failure?: Error;
}

export interface RunningWorkload {
  readonly counts: Readonly<WorkloadCounts>;
  stop(): Promise<WorkloadSummary>;
}

interface Workload {
  options: WorkloadOptions;
  pool: KeyPool;
  limiter: RateLimiter;
  stopping: AbortController;
  counts: WorkloadCounts;
  keysWritten: Set<string>;
  /** Worker -> the operation it has in flight. */
  inFlight: Map<number, { process: number; operation: PlannedOperation }>;
  clients: WorkloadClient[];
  nextProcess: number;
  failure?: Error;
}

export function startWorkload(options: WorkloadOptions): RunningWorkload {
  const workload: Workload = {
    options,
    pool: new KeyPool(options.plan),
    limiter: createRateLimiter(options.plan.ratePerSecond),
    stopping: new AbortController(),
    counts: { invoked: 0, ok: 0, fail: 0, info: 0 },
    keysWritten: new Set(),
    inFlight: new Map(),
    clients: Array.from({ length: options.plan.clients }, (_, worker) => options.createClient(worker)),
    nextProcess: options.plan.clients,
  };
  // Every worker waiting for its rate slot listens on the stop signal.
  setMaxListeners(options.plan.clients + 10, workload.stopping.signal);
  const workers = workload.clients.map((_, worker) =>
    runWorker(workload, worker).catch((error: unknown) => {
      workload.failure ??= error instanceof Error ? error : new Error(String(error));
      workload.stopping.abort();
    }),
  );
  const { counts, inFlight } = workload;
  const progressTimer = setInterval(
    () => options.progress(`workload: ${counts.invoked} invoked, ${counts.ok} ok, ${counts.fail} fail, ${counts.info} info, ${inFlight.size} in flight`),
    options.progressEveryMs ?? 5000,
  );
  progressTimer.unref();
  let stopped: Promise<WorkloadSummary> | undefined;
  return {
    counts,
    stop: () => (stopped ??= (clearInterval(progressTimer), stopWorkload(workload, Promise.all(workers)))),
  };
}

async function runWorker(workload: Workload, worker: number): Promise<void> {
  const { options, pool, counts, inFlight } = workload;
  const random = options.random.derive(`worker-${worker}`);
  let generation = options.clientGeneration?.();
  let memory: ProcessMemory = { process: worker, written: 0, lastSeen: new Map() };
  while (!workload.stopping.signal.aborted && (await workload.limiter.acquire(workload.stopping.signal))) {
    generation = refreshClient(workload, worker, generation);
    const operation = chooseOperation(pool.choose(random), options.plan.mix, memory, random);
    if (operation.f !== 'read') workload.keysWritten.add(operation.key);
    inFlight.set(worker, { process: memory.process, operation });
    options.recorder.invoke(memory.process, operation.f, operation.key, invokeValue(operation));
    counts.invoked += 1;
    const result = await send(workload.clients[worker]!, operation);
    if (inFlight.get(worker)?.operation !== operation) return; // cut off: already recorded as info
    inFlight.delete(worker);
    const completed = classify(operation, result);
    options.recorder.complete(memory.process, completed.type, operation.f, operation.key, completed.value, { error: completed.error, node: completed.node });
    counts[completed.type] += 1;
    pool.record(operation.key, completed.type === 'info');
    remember(memory, operation, result);
    if (completed.type === 'info') memory = { process: workload.nextProcess++, written: 0, lastSeen: new Map() };
  }
}

/** Replaces the worker's client when the client generation changed; returns the generation now. */
function refreshClient(workload: Workload, worker: number, generation: string | undefined): string | undefined {
  const now = workload.options.clientGeneration?.();
  if (now === generation) return generation;
  workload.clients[worker]!.close();
  workload.clients[worker] = workload.options.createClient(worker);
  return now;
}

async function stopWorkload(workload: Workload, workers: Promise<unknown>): Promise<WorkloadSummary> {
  const { options, counts, inFlight } = workload;
  workload.stopping.abort();
  await settleWithin(workers, options.drainTimeoutMs);
  const cutOff = inFlight.size;
  for (const { process, operation } of inFlight.values()) {
    options.recorder.complete(process, 'info', operation.f, operation.key, invokeValue(operation), { error: 'cut_off' });
    counts.info += 1;
  }
  inFlight.clear();
  for (const client of workload.clients) client.close();
  await settleWithin(workers, options.drainTimeoutMs);
  if (cutOff > 0) options.progress(`workload: ${cutOff} operations were still in flight after ${options.drainTimeoutMs} ms and are recorded as info`);
  const summary: WorkloadSummary = { counts: { ...counts }, keysWritten: [...workload.keysWritten], cutOff, nextProcess: workload.nextProcess };
  if (workload.failure !== undefined) summary.failure = workload.failure;
  return summary;
}

async function settleWithin(promise: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
}
