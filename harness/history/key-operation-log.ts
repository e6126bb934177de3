// The operations of one key, held compactly (typed columns, strings shared with the parsed
// events) while a history is streamed, and handed back as Operation objects when the key is
// checked: a few dozen bytes per operation instead of an object graph for every event.

import type { OperationKind } from './history-event.js';
import type { Operation, Outcome } from './operation.js';

const kinds: readonly OperationKind[] = ['read', 'write', 'cas', 'delete'];
const outcomes: readonly Outcome[] = ['ok', 'fail', 'info'];
const noLabel = -1;
const initialCapacity = 64;

/** Error codes and node names, each stored once. */
export class LabelTable {
  readonly #ids = new Map<string, number>();
  readonly #names: string[] = [];

  idOf(name: string | undefined): number {
    if (name === undefined) return noLabel;
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.#names.push(name) - 1;
      this.#ids.set(name, id);
    }
    return id;
  }

  nameOf(id: number): string | undefined {
    return id === noLabel ? undefined : this.#names[id];
  }
}

export class KeyOperationLog {
  #length = 0;
  #index = new Int32Array(initialCapacity);
  #process = new Float64Array(initialCapacity);
  #invokeNs = new Float64Array(initialCapacity);
  /** NaN while in flight or never completed. */
  #completeNs = new Float64Array(initialCapacity);
  #kind = new Uint8Array(initialCapacity);
  #outcome = new Uint8Array(initialCapacity);
  #error = new Int32Array(initialCapacity);
  #node = new Int32Array(initialCapacity);
  /** write: the value; read: the value read; cas: `to`; else null. */
  readonly #value: (string | null)[] = [];
  /** cas: `from`; else null. */
  readonly #from: (string | null)[] = [];

  constructor(readonly key: string, private readonly labels: LabelTable) {}

  get length(): number {
    return this.#length;
  }

  /** Adds an operation as invoked; returns its row for `update`. */
  append(operation: Operation): number {
    if (this.#length === this.#index.length) this.#grow();
    const row = this.#length++;
    this.#index[row] = operation.index;
    this.#process[row] = operation.process;
    this.#invokeNs[row] = operation.invokeNs;
    this.#kind[row] = kinds.indexOf(operation.f);
    this.#value.push(null);
    this.#from.push(null);
    this.update(row, operation);
    return row;
  }

  /** Stores what the operation of `row` is now (its completion, when it has one). */
  update(row: number, operation: Operation): void {
    this.#completeNs[row] = operation.completeNs ?? NaN;
    this.#outcome[row] = outcomes.indexOf(operation.outcome);
    this.#error[row] = this.labels.idOf(operation.error);
    this.#node[row] = this.labels.idOf(operation.node);
    const value = operation.value;
    if (Array.isArray(value)) {
      this.#from[row] = value[0];
      this.#value[row] = value[1];
    } else this.#value[row] = value;
  }

  /** Every operation of the key, in order of invocation. */
  operations(): Operation[] {
    const operations = new Array<Operation>(this.#length);
    for (let row = 0; row < this.#length; row++) operations[row] = this.#operationAt(row);
    return operations;
  }

  /** The operation with this index in the whole history, if it is on this key. */
  operation(index: number): Operation | undefined {
    let low = 0;
    let high = this.#length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#index[middle]! < index) low = middle + 1;
      else high = middle;
    }
    return low < this.#length && this.#index[low] === index ? this.#operationAt(low) : undefined;
  }

  #operationAt(row: number): Operation {
    const f = kinds[this.#kind[row]!]!;
    const completeNs = this.#completeNs[row]!;
    const value = f === 'cas' ? [this.#from[row]!, this.#value[row]!] as [string | null, string] : this.#value[row]!;
    const operation: Operation = { index: this.#index[row]!, process: this.#process[row]!, f, key: this.key, value, outcome: outcomes[this.#outcome[row]!]!, invokeNs: this.#invokeNs[row]!, completeNs: Number.isNaN(completeNs) ? null : completeNs };
    const error = this.labels.nameOf(this.#error[row]!);
    if (error !== undefined) operation.error = error;
    const node = this.labels.nameOf(this.#node[row]!);
    if (node !== undefined) operation.node = node;
    return operation;
  }

  #grow(): void {
    const capacity = this.#index.length * 2;
    this.#index = grown(this.#index, new Int32Array(capacity));
    this.#process = grown(this.#process, new Float64Array(capacity));
    this.#invokeNs = grown(this.#invokeNs, new Float64Array(capacity));
    this.#completeNs = grown(this.#completeNs, new Float64Array(capacity));
    this.#kind = grown(this.#kind, new Uint8Array(capacity));
    this.#outcome = grown(this.#outcome, new Uint8Array(capacity));
    this.#error = grown(this.#error, new Int32Array(capacity));
    this.#node = grown(this.#node, new Int32Array(capacity));
  }
}

function grown<T extends Int32Array | Float64Array | Uint8Array>(old: T, next: T): T {
  next.set(old as never);
  return next;
}
