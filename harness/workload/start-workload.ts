// Concurrent logical clients recording the history. Each worker runs one logical process at a
// time with one operation in flight; after an indefinite result the process is retired and the
// worker continues under a fresh process number (SPEC section 3). `stop` lets operations in
// flight finish within a drain deadline, then records the ones still cut off as `info`.

import type { HistoryRecorder } from '../history/history-recorder.js';
import type { SeededRandom } from '../runner/seeded-random.js';
import type { WorkloadPlan } from '../scenario/plan.js';
import { classify, invokeValue, remember, send } from './apply-operation.js';
import { chooseOperation, type PlannedOperation, type ProcessMemory } from './choose-operation.js';
import { KeyPool } from './key-pool.js';
import { createRateLimiter } from './rate-limiter.js';
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

interface InFlight {
  process: number;
  operation: PlannedOperation;
}

export function startWorkload(options: WorkloadOptions): RunningWorkload {
  const { plan, recorder } = options;
  const pool = new KeyPool(plan);
  const limiter = createRateLimiter(plan.ratePerSecond);
  const stopping = new AbortController();
  const counts: WorkloadCounts = { invoked: 0, ok: 0, fail: 0, info: 0 };
  const keysWritten = new Set<string>();
  const inFlight = new Map<number, InFlight>();
  const clients = Array.from({ length: plan.clients }, (_, worker) => options.createClient(worker));
  let nextProcess = plan.clients;
  let failure: Error | undefined;

  const runWorker = async (worker: number) => {
    const random = options.random.derive(`worker-${worker}`);
    const client = clients[worker]!;
    let memory: ProcessMemory = { process: worker, written: 0, lastSeen: new Map() };
    while (!stopping.signal.aborted && (await limiter.acquire(stopping.signal))) {
      const operation = chooseOperation(pool.choose(random), plan.mix, memory, random);
      if (operation.f !== 'read') keysWritten.add(operation.key);
      inFlight.set(worker, { process: memory.process, operation });
      recorder.invoke(memory.process, operation.f, operation.key, invokeValue(operation));
      counts.invoked += 1;
      const result = await send(client, operation);
      if (inFlight.get(worker)?.operation !== operation) return; // cut off: already recorded as info
      inFlight.delete(worker);
      const completed = classify(operation, result);
      recorder.complete(memory.process, completed.type, operation.f, operation.key, completed.value, { error: completed.error, node: completed.node });
      counts[completed.type] += 1;
      pool.record(operation.key, completed.type === 'info');
      remember(memory, operation, result);
      if (completed.type === 'info') memory = { process: nextProcess++, written: 0, lastSeen: new Map() };
    }
  };

  const workers = clients.map((_, worker) =>
    runWorker(worker).catch((error: unknown) => {
      failure ??= error instanceof Error ? error : new Error(String(error));
      stopping.abort();
    }),
  );
  const progressTimer = setInterval(
    () => options.progress(`workload: ${counts.invoked} invoked, ${counts.ok} ok, ${counts.fail} fail, ${counts.info} info, ${inFlight.size} in flight`),
    options.progressEveryMs ?? 5000,
  );
  progressTimer.unref();

  const stop = async (): Promise<WorkloadSummary> => {
    stopping.abort();
    clearInterval(progressTimer);
    await settleWithin(Promise.all(workers), options.drainTimeoutMs);
    const cutOff = inFlight.size;
    for (const { process, operation } of inFlight.values()) {
      recorder.complete(process, 'info', operation.f, operation.key, invokeValue(operation), { error: 'cut_off' });
      counts.info += 1;
    }
    inFlight.clear();
    for (const client of clients) client.close();
    await settleWithin(Promise.all(workers), options.drainTimeoutMs);
    if (cutOff > 0) options.progress(`workload: ${cutOff} operations were still in flight after ${options.drainTimeoutMs} ms and are recorded as info`);
    const summary: WorkloadSummary = { counts: { ...counts }, keysWritten: [...keysWritten], cutOff, nextProcess };
    if (failure !== undefined) summary.failure = failure;
    return summary;
  };
  let stopped: Promise<WorkloadSummary> | undefined;
  return {
    counts,
    stop: () => (stopped ??= stop()),
  };
}

async function settleWithin(promise: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
}
