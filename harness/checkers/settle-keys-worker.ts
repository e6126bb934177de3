// The other thread of a streamed check: settles the keys it is sent with the polynomial checks
// (the zone decision, phantom reads) while the main thread settles the rest. It reports only what
// needs nothing more: a key linearizable by zones, a key without phantom reads. Whatever else a
// key holds (an anomaly, a search, the evidence) the main thread finds again from its own copy.

import { parentPort } from 'node:worker_threads';
import { KeyOperationLog, LabelTable, type KeyOperationLogSnapshot } from '../history/key-operation-log.js';
import { decideByZones } from './decide-by-zones.js';
import { keyPhantoms } from './no-phantom-values-checker.js';
import { registerOperationsOf } from './register-operation.js';

export interface SettleKeysRequest {
  labels: string[];
  logs: KeyOperationLogSnapshot[];
}

/** Per key sent, in order. */
export interface SettledKey {
  linearizable: boolean;
  phantomFree: boolean;
}

parentPort!.once('message', (request: SettleKeysRequest) => {
  const labels = LabelTable.of(request.labels);
  const settled = request.logs.map((snapshot): SettledKey => {
    const log = KeyOperationLog.of(snapshot, labels);
    const linearizable = decideByZones(registerOperationsOf(log)).outcome === 'linearizable';
    // Linearizable by zones implies no phantom read (history-checks.ts).
    return { linearizable, phantomFree: linearizable || keyPhantoms(log) === null };
  });
  parentPort!.postMessage(settled);
});
