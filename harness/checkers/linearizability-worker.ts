// Searches the keys the zone fast path could not settle (with the evidence of those that are not
// linearizable), in the order given; the parent terminates it at the deadline.

import { parentPort, workerData } from 'node:worker_threads';
import { searchRegister } from './check-register.js';
import type { RegisterResult } from './check-register.js';
import type { RegisterOperation } from './register-operation.js';

export interface WorkerJob {
  key: string;
  operations: RegisterOperation[];
}

/** A result for one key; `final` false: an anomaly found, its evidence not yet narrowed down. */
export interface WorkerMessage {
  key: string;
  result: RegisterResult;
  final: boolean;
}

const post = (message: WorkerMessage) => parentPort!.postMessage(message);
for (const job of (workerData as { jobs: WorkerJob[] }).jobs) {
  const result = searchRegister(job.operations, Infinity, (decided) => post({ key: job.key, result: decided, final: false }));
  post({ key: job.key, result, final: true });
}
