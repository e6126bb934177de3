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
  const invokeEvent: number[] = [];
  const inFlight = new Map<number, Operation>();
  const crashedAt = new Map<number, number>();
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    if (event.type === 'invoke') {
      const running = inFlight.get(event.process);
      if (running !== undefined) throw malformed(fileName, lineOf, index, 'process', `process ${event.process} invokes while its operation from line ${lineOf(invokeEvent[running.index]!)} is still in flight`);
      const crashed = crashedAt.get(event.process);
      if (crashed !== undefined) throw malformed(fileName, lineOf, index, 'process', `process ${event.process} invokes again after its info completion on line ${lineOf(crashed)}; a process never invokes after info`);
      const operation: Operation = { index: operations.length, process: event.process, f: event.f, key: event.key, value: event.f === 'read' ? null : event.value, outcome: 'info', invokeNs: event.time, completeNs: null };
      if (event.node !== undefined) operation.node = event.node;
      operations.push(operation);
      invokeEvent.push(index);
      inFlight.set(event.process, operation);
      continue;
    }
    const operation = inFlight.get(event.process);
    if (operation === undefined) throw malformed(fileName, lineOf, index, 'type', `process ${event.process} completes (${event.type}) with no operation in flight`);
    const problem = completionProblem(operation, event, lineOf(invokeEvent[operation.index]!));
    if (problem !== null) throw malformed(fileName, lineOf, index, problem[0], problem[1]);
    complete(operation, event);
    inFlight.delete(event.process);
    if (event.type === 'info') crashedAt.set(event.process, index);
  }
  return operations;
}

function completionProblem(operation: Operation, event: HistoryEvent, invokeLine: number): [string, string] | null {
  if (operation.f !== event.f) return ['f', `completion says ${event.f} but process ${event.process} invoked ${operation.f} on line ${invokeLine}`];
  if (operation.key !== event.key) return ['key', `completion says ${JSON.stringify(event.key)} but the invoke on line ${invokeLine} says ${JSON.stringify(operation.key)}`];
  if (event.time < operation.invokeNs) return ['time', `completion at ${event.time} ns is before its invoke at ${operation.invokeNs} ns (line ${invokeLine})`];
  return null;
}

function complete(operation: Operation, event: HistoryEvent): void {
  operation.outcome = event.type as 'ok' | 'fail' | 'info';
  operation.completeNs = event.time;
  if (event.f === 'read' && event.type === 'ok') operation.value = event.value;
  if (event.error !== undefined) operation.error = event.error;
  if (event.node !== undefined) operation.node = event.node;
}

function malformed(fileName: string, lineOf: (index: number) => number, index: number, field: string, problem: string): MalformedHistoryError {
  return new MalformedHistoryError(fileName, lineOf(index), field, problem);
}
