// Searches the keys the zone fast path could not settle (with the evidence of those that are not
// linearizable); the parent terminates it at the deadline. Keys arrive while the history is still
// being read: each is first searched for a bounded number of steps, smallest waiting key first, so
// that one hard key cannot hold up the others; the keys that need more are searched in full, again
// smallest first, once the parent says no more keys will come.

import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { searchRegister } from './check-register.js';
import type { RegisterResult } from './check-register.js';
import type { RegisterOperation } from './register-operation.js';
import { fromColumns, type RegisterOperationColumns } from './register-operation-columns.js';
import { searchLinearization } from './search-linearization.js';

export interface WorkerJob {
  key: string;
  /** Ties in size go in this order (the key's first operation in the history). */
  order: number;
  operations: RegisterOperationColumns;
}

/** A job as searched here: its operations made from the columns when it is taken up. */
interface WaitingJob {
  key: string;
  order: number;
  size: number;
  columns: RegisterOperationColumns;
  operations?: RegisterOperation[];
}

/** Parent to worker: more keys, and whether they are the last. */
export interface WorkerRequest {
  jobs: WorkerJob[];
  last: boolean;
}

/** A result for one key; `final` false: an anomaly found, its evidence not yet narrowed down. */
export interface WorkerMessage {
  key: string;
  result: RegisterResult;
  final: boolean;
}

/** Steps of a key's first search; past them it waits for the full search at the end. */
const firstSearchSteps = 1_000_000;

const waiting: WaitingJob[] = [];
const hard: WaitingJob[] = [];
let last = false;

const post = (message: WorkerMessage) => parentPort!.postMessage(message);

parentPort!.on('message', (request: WorkerRequest) => {
  take(request);
  work();
});

function take(request: WorkerRequest): void {
  for (const job of request.jobs) waiting.push({ key: job.key, order: job.order, size: job.operations.id.length, columns: job.operations });
  if (request.last) last = true;
}

function work(): void {
  for (;;) {
    for (let message = receiveMessageOnPort(parentPort!); message !== undefined; message = receiveMessageOnPort(parentPort!)) take(message.message as WorkerRequest);
    const job = takeSmallest(waiting);
    if (job !== undefined) {
      searchFirst(job);
      continue;
    }
    if (!last || hard.length === 0) return;
    const hardest = takeSmallest(hard)!;
    searchInFull(hardest);
  }
}

function searchFirst(job: WaitingJob): void {
  const operations = fromColumns(job.columns);
  const outcome = searchLinearization(operations, firstSearchSteps);
  if (outcome === 'exceeded') hard.push({ ...job, operations });
  else if (outcome === 'linearizable') post({ key: job.key, result: { outcome: 'linearizable', method: 'search' }, final: true });
  else searchInFull({ ...job, operations });
}

function searchInFull(job: WaitingJob): void {
  const result = searchRegister(job.operations ?? fromColumns(job.columns), Infinity, (decided) => post({ key: job.key, result: decided, final: false }));
  post({ key: job.key, result, final: true });
}

/** Removes and returns the job with the fewest operations (ties: the earliest key). */
function takeSmallest(jobs: WaitingJob[]): WaitingJob | undefined {
  if (jobs.length === 0) return undefined;
  let best = 0;
  for (let index = 1; index < jobs.length; index++) {
    const job = jobs[index]!;
    const bestJob = jobs[best]!;
    if (job.size < bestJob.size || (job.size === bestJob.size && job.order < bestJob.order)) best = index;
  }
  const [job] = jobs.splice(best, 1);
  return job;
}
