// Pairs invokes with completions and enforces the process rule of SPEC section 3: one
// operation in flight per process, and no invoke after an `info`.

import type { HistoryEvent } from './history-event.js';
import { MalformedHistoryError } from './malformed-history-error.js';
import type { Operation } from './operation.js';

/**
 * Operations in order of invocation. An invoke without a completion at the end of the history is
 * an `info` operation (it may or may not have taken effect) with `completeNs` null.
 * `lineOf(i)` maps an event index to its line in `fileName` for error messages (default i + 1).
 */
export function pairOperations(events: readonly HistoryEvent[], fileName = 'history', lineOf = (index: number) => index + 1): Operation[] {
  const operations: Operation[] = [];
  const inFlight = new Map<number, Operation>();
  const crashed = new Map<number, number>();
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    const fail = (field: string, problem: string): never => {
      throw new MalformedHistoryError(fileName, lineOf(index), field, problem);
    };
    if (event.type === 'invoke') {
      if (inFlight.has(event.process)) fail('process', `process ${event.process} invokes while its operation from line ${invokeLines.get(inFlight.get(event.process)!)} is still in flight`);
      if (crashed.has(event.process)) fail('process', `process ${event.process} invokes again after its info completion on line ${crashed.get(event.process)}; a process never invokes after info`);
      const operation: Operation = { index: operations.length, process: event.process, f: event.f, key: event.key, value: event.f === 'read' ? null : event.value, outcome: 'info', invokeNs: event.time, completeNs: null };
      if (event.node !== undefined) operation.node = event.node;
      operations.push(operation);
      inFlight.set(event.process, operation);
      invokeLines.set(operation, lineOf(index));
      continue;
    }
    const operation = inFlight.get(event.process);
    if (operation === undefined) return fail('type', `process ${event.process} completes (${event.type}) with no operation in flight`);
    if (operation.f !== event.f) fail('f', `completion says ${event.f} but process ${event.process} invoked ${operation.f} on line ${invokeLines.get(operation)}`);
    if (operation.key !== event.key) fail('key', `completion says ${JSON.stringify(event.key)} but the invoke on line ${invokeLines.get(operation)} says ${JSON.stringify(operation.key)}`);
    if (event.time < operation.invokeNs) fail('time', `completion at ${event.time} ns is before its invoke at ${operation.invokeNs} ns (line ${invokeLines.get(operation)})`);
    operation.outcome = event.type as 'ok' | 'fail' | 'info';
    operation.completeNs = event.time;
    if (event.f === 'read' && event.type === 'ok') operation.value = event.value;
    if (event.error !== undefined) operation.error = event.error;
    if (event.node !== undefined) operation.node = event.node;
    inFlight.delete(event.process);
    if (event.type === 'info') crashed.set(event.process, lineOf(index));
  }
  return operations;
}

const invokeLines = new WeakMap<Operation, number>();
