// Runs register checks that were too big to settle inline; the parent terminates it at the deadline.

import { parentPort, workerData } from 'node:worker_threads';
import { checkRegister } from './check-register.js';
import type { RegisterOperation } from './register-operation.js';

export interface WorkerJob {
  key: string;
  operations: RegisterOperation[];
}

for (const job of (workerData as { jobs: WorkerJob[] }).jobs) {
  parentPort!.postMessage({ key: job.key, result: checkRegister(job.operations) });
}
