// A second thread for the keys of a large streamed history: started before the file is read (so
// that it has loaded its modules by the end), it is then sent part of the keys and settles them
// (settle-keys-worker.ts) while this thread checks the others. If it fails, this thread settles
// its keys too: the verdicts never depend on it.

import { Worker } from 'node:worker_threads';
import type { KeyOperationLog, KeyOperationLogSnapshot, LabelTable } from '../history/key-operation-log.js';
import type { SettledKey, SettleKeysRequest } from './settle-keys-worker.js';

export type { SettledKey } from './settle-keys-worker.js';

export class KeySettler {
  readonly #worker = new Worker(new URL('./settle-keys-worker.js', import.meta.url));
  #failed = false;

  constructor() {
    this.#worker.on('error', () => {
      this.#failed = true;
    });
  }

  /** Sends `logs` to be settled; resolves with a result per log, in order, or null if the thread failed. */
  settle(logs: readonly KeyOperationLog[], labels: LabelTable): Promise<SettledKey[] | null> {
    if (this.#failed) return Promise.resolve(null);
    const settled = new Promise<SettledKey[] | null>((resolve) => {
      this.#worker.once('message', (message: SettledKey[]) => resolve(message));
      this.#worker.once('error', () => resolve(null));
      this.#worker.once('exit', () => resolve(null));
    });
    const request: SettleKeysRequest = { labels: labels.names(), logs: logs.map((log) => log.snapshot()) };
    try {
      this.#worker.postMessage(request, [...new Set(request.logs.flatMap(transferables))]);
    } catch {
      return Promise.resolve(null);
    }
    return settled;
  }

  async stop(): Promise<void> {
    await this.#worker.terminate();
  }
}

/** The snapshot's arrays are copies: moved to the thread rather than copied again. */
function transferables(snapshot: KeyOperationLogSnapshot): ArrayBuffer[] {
  const arrays = [...Object.values(snapshot.columns), snapshot.value.bytes, snapshot.value.start, snapshot.value.length, snapshot.from.bytes, snapshot.from.start, snapshot.from.length];
  return arrays.map((array) => array.buffer);
}
