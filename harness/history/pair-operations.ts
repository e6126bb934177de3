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
  const pairer = new OperationPairer(fileName, {
    invoked: (invoke, index) => operations.push(invokedOperation(invoke, index)) - 1,
    completed: (_, completion, invokedAs) => complete(operations[invokedAs]!, completion),
  });
  for (let index = 0; index < events.length; index++) pairer.add(events[index]!, lineOf(index));
  return operations;
}

/**
 * Hears of each operation when it is invoked (its index among all operations) and when it
 * completes, with the number `invoked` returned for it. Events, not Operation objects: a sink that
 * stores operations its own way makes no object per operation.
 */
export interface OperationSink {
  invoked(invoke: HistoryEvent, index: number): number;
  completed?(invoke: HistoryEvent, completion: HistoryEvent, invokedAs: number): void;
}

/** The operation in flight on one process; one per process, reused. */
interface InFlight {
  invoke: HistoryEvent | null;
  line: number;
  invokedAs: number;
}

/** pairOperations one event at a time: the operations in flight are all it holds. */
export class OperationPairer {
  #count = 0;
  readonly #inFlight = new Map<number, InFlight>();
  readonly #crashedAt = new Map<number, number>();

  constructor(private readonly fileName: string, private readonly sink: OperationSink) {}

  /** Operations invoked so far. */
  get count(): number {
    return this.#count;
  }

  /** Takes the event on line `line`; throws MalformedHistoryError when it breaks the process rule. */
  add(event: HistoryEvent, line: number): void {
    if (event.type === 'invoke') this.#invoke(event, line);
    else this.#complete(event, line);
  }

  #invoke(event: HistoryEvent, line: number): void {
    let running = this.#inFlight.get(event.process);
    if (running?.invoke) throw this.#malformed(line, 'process', `process ${event.process} invokes while its operation from line ${running.line} is still in flight`);
    const crashed = this.#crashedAt.get(event.process);
    if (crashed !== undefined) throw this.#malformed(line, 'process', `process ${event.process} invokes again after its info completion on line ${crashed}; a process never invokes after info`);
    if (running === undefined) this.#inFlight.set(event.process, (running = { invoke: null, line: 0, invokedAs: 0 }));
    running.invokedAs = this.sink.invoked(event, this.#count++);
    running.invoke = event;
    running.line = line;
  }

  #complete(event: HistoryEvent, line: number): void {
    const running = this.#inFlight.get(event.process);
    const invoke = running?.invoke;
    if (!invoke) throw this.#malformed(line, 'type', `process ${event.process} completes (${event.type}) with no operation in flight`);
    const problem = completionProblem(invoke, event, running!.line);
    if (problem !== null) throw this.#malformed(line, problem[0], problem[1]);
    running!.invoke = null;
    if (event.type === 'info') this.#crashedAt.set(event.process, line);
    this.sink.completed?.(invoke, event, running!.invokedAs);
  }

  #malformed(line: number, field: string, problem: string): MalformedHistoryError {
    return new MalformedHistoryError(this.fileName, line, field, problem);
  }
}

/** An operation as invoked: `info` with `completeNs` null until its completion. */
export function invokedOperation(event: HistoryEvent, index: number): Operation {
  const operation: Operation = { index, process: event.process, f: event.f, key: event.key, value: event.f === 'read' ? null : event.value, outcome: 'info', invokeNs: event.time, completeNs: null };
  if (event.node !== undefined) operation.node = event.node;
  return operation;
}

function completionProblem(invoke: HistoryEvent, event: HistoryEvent, invokeLine: number): [string, string] | null {
  if (invoke.f !== event.f) return ['f', `completion says ${event.f} but process ${event.process} invoked ${invoke.f} on line ${invokeLine}`];
  if (invoke.key !== event.key) return ['key', `completion says ${JSON.stringify(event.key)} but the invoke on line ${invokeLine} says ${JSON.stringify(invoke.key)}`];
  if (event.time < invoke.time) return ['time', `completion at ${event.time} ns is before its invoke at ${invoke.time} ns (line ${invokeLine})`];
  return null;
}

export function complete(operation: Operation, event: HistoryEvent): void {
  operation.outcome = event.type as 'ok' | 'fail' | 'info';
  operation.completeNs = event.time;
  if (event.f === 'read' && event.type === 'ok') operation.value = event.value;
  if (event.error !== undefined) operation.error = event.error;
  if (event.node !== undefined) operation.node = event.node;
}
