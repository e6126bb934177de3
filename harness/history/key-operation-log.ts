// The operations of one key, held compactly (typed columns, strings as bytes) while a history
// is streamed, and handed back as Operation objects when the key is
// checked: a few dozen bytes per operation instead of an object graph for every event.

import type { HistoryEvent, OperationKind } from './history-event.js';
import { latin1Slice } from './latin1-slice.js';
import type { Operation, Outcome } from './operation.js';

const kinds: readonly OperationKind[] = ['read', 'write', 'cas', 'delete'];
const outcomes: readonly Outcome[] = ['ok', 'fail', 'info'];
const infoOutcome = outcomes.indexOf('info');
const noLabel = -1;
/**
 * Rows a key starts with, doubled as needed. Small: a soak run spreads its operations over
 * thousands of keys (8,573 in a 30-minute run), where 1024 rows each would be 600 MB of columns
 * before the first operation.
 */
const initialCapacity = 32;

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

  /** The names by id, to rebuild the table elsewhere (another thread) with `LabelTable.of`. */
  names(): string[] {
    return [...this.#names];
  }

  static of(names: readonly string[]): LabelTable {
    const table = new LabelTable();
    for (const name of names) table.idOf(name);
    return table;
  }
}

/** A key log as plain typed arrays, for another thread (structured clone): `KeyOperationLog.of`. */
export interface KeyOperationLogSnapshot {
  key: string;
  length: number;
  columns: { index: Int32Array<ArrayBuffer>; process: Float64Array<ArrayBuffer>; invokeNs: Float64Array<ArrayBuffer>; completeNs: Float64Array<ArrayBuffer>; kind: Uint8Array<ArrayBuffer>; outcome: Uint8Array<ArrayBuffer>; error: Int32Array<ArrayBuffer>; node: Int32Array<ArrayBuffer> };
  value: StringColumnSnapshot;
  from: StringColumnSnapshot;
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
  readonly #value = new StringColumn();
  /** cas: `from`; else null. */
  readonly #from = new StringColumn();
  readonly #view: Operation = { index: 0, process: 0, f: 'read', key: '', value: null, outcome: 'info', invokeNs: 0, completeNs: null };
  readonly #casView: [string | null, string] = [null, ''];

  constructor(readonly key: string, private readonly labels: LabelTable) {
    this.#view.key = key;
  }

  get length(): number {
    return this.#length;
  }

  /** Adds the operation of an invoke event, the `index`-th of the history; returns its row for `complete`. */
  append(invoke: HistoryEvent, index: number): number {
    if (this.#length === this.#index.length) this.#grow();
    const row = this.#length++;
    this.#index[row] = index;
    this.#process[row] = invoke.process;
    this.#invokeNs[row] = invoke.time;
    this.#completeNs[row] = NaN;
    this.#kind[row] = kinds.indexOf(invoke.f);
    this.#outcome[row] = infoOutcome;
    this.#error[row] = noLabel;
    this.#node[row] = this.labels.idOf(invoke.node);
    const value = invoke.f === 'read' ? null : invoke.value;
    if (Array.isArray(value)) {
      this.#from.set(row, value[0]);
      this.#value.set(row, value[1]);
    } else this.#value.set(row, value);
    return row;
  }

  /** Appends every row of `later` (a log of the same key and label table, of operations invoked after these). */
  appendRows(later: KeyOperationLog): void {
    for (let from = 0; from < later.#length; from++) {
      if (this.#length === this.#index.length) this.#grow();
      const row = this.#length++;
      this.#index[row] = later.#index[from]!;
      this.#process[row] = later.#process[from]!;
      this.#invokeNs[row] = later.#invokeNs[from]!;
      this.#completeNs[row] = later.#completeNs[from]!;
      this.#kind[row] = later.#kind[from]!;
      this.#outcome[row] = later.#outcome[from]!;
      this.#error[row] = later.#error[from]!;
      this.#node[row] = later.#node[from]!;
      this.#value.set(row, later.#value.get(from));
      if (kinds[later.#kind[from]!] === 'cas') this.#from.set(row, later.#from.get(from));
    }
  }

  /** Stores the completion of the operation of `row` (a read's value, the node if it names one). */
  complete(row: number, completion: HistoryEvent): void {
    this.#completeNs[row] = completion.time;
    this.#outcome[row] = outcomes.indexOf(completion.type as Outcome);
    this.#error[row] = this.labels.idOf(completion.error);
    if (completion.node !== undefined) this.#node[row] = this.labels.idOf(completion.node);
    if (completion.f === 'read' && completion.type === 'ok') this.#value.set(row, completion.value as string | null);
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

  /** Row `row` through one view object, reused by the next call (operation-rows.ts). */
  view(row: number): Readonly<Operation> {
    const view = this.#view;
    const f = kinds[this.#kind[row]!]!;
    const completeNs = this.#completeNs[row]!;
    view.index = this.#index[row]!;
    view.process = this.#process[row]!;
    view.f = f;
    if (f === 'cas') {
      this.#casView[0] = this.#from.get(row);
      this.#casView[1] = this.#value.get(row)!;
      view.value = this.#casView;
    } else view.value = this.#value.get(row);
    view.outcome = outcomes[this.#outcome[row]!]!;
    view.invokeNs = this.#invokeNs[row]!;
    view.completeNs = Number.isNaN(completeNs) ? null : completeNs;
    view.error = this.labels.nameOf(this.#error[row]!);
    view.node = this.labels.nameOf(this.#node[row]!);
    return view;
  }

  operationAt(row: number): Operation {
    return this.#operationAt(row);
  }

  #operationAt(row: number): Operation {
    const f = kinds[this.#kind[row]!]!;
    const completeNs = this.#completeNs[row]!;
    const value = f === 'cas' ? ([this.#from.get(row), this.#value.get(row)] as [string | null, string]) : this.#value.get(row);
    const operation: Operation = { index: this.#index[row]!, process: this.#process[row]!, f, key: this.key, value, outcome: outcomes[this.#outcome[row]!]!, invokeNs: this.#invokeNs[row]!, completeNs: Number.isNaN(completeNs) ? null : completeNs };
    const error = this.labels.nameOf(this.#error[row]!);
    if (error !== undefined) operation.error = error;
    const node = this.labels.nameOf(this.#node[row]!);
    if (node !== undefined) operation.node = node;
    return operation;
  }

  /** Copies of the rows in use: the log stays usable here. */
  snapshot(): KeyOperationLogSnapshot {
    const length = this.#length;
    const columns = { index: this.#index.slice(0, length), process: this.#process.slice(0, length), invokeNs: this.#invokeNs.slice(0, length), completeNs: this.#completeNs.slice(0, length), kind: this.#kind.slice(0, length), outcome: this.#outcome.slice(0, length), error: this.#error.slice(0, length), node: this.#node.slice(0, length) };
    return { key: this.key, length, columns, value: this.#value.snapshot(length), from: this.#from.snapshot(length) };
  }

  static of(snapshot: KeyOperationLogSnapshot, labels: LabelTable): KeyOperationLog {
    const log = new KeyOperationLog(snapshot.key, labels);
    const { columns } = snapshot;
    log.#length = snapshot.length;
    [log.#index, log.#process, log.#invokeNs, log.#completeNs] = [columns.index, columns.process, columns.invokeNs, columns.completeNs];
    [log.#kind, log.#outcome, log.#error, log.#node] = [columns.kind, columns.outcome, columns.error, columns.node];
    log.#value.restore(snapshot.value);
    log.#from.restore(snapshot.from);
    return log;
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

export interface StringColumnSnapshot {
  bytes: Uint8Array<ArrayBuffer>;
  start: Int32Array<ArrayBuffer>;
  length: Int32Array<ArrayBuffer>;
  others: Map<number, string>;
}

/**
 * Strings by row, kept as bytes rather than as a million small objects the garbage collector
 * would have to trace and move on every collection: ASCII strings in one growing buffer, any
 * other (rare) string as itself. A row not set is null.
 */
class StringColumn {
  #bytes: Buffer = Buffer.allocUnsafe(initialCapacity * 8);
  #used = 0;
  /** Start in #bytes; -1: null; -2: in #others. */
  #start = new Int32Array(initialCapacity).fill(-1);
  #length = new Int32Array(initialCapacity);
  readonly #others = new Map<number, string>();

  set(row: number, value: string | null): void {
    if (row >= this.#start.length) {
      // A column set only now and then (a cas's `from`) may be many rows behind: grow past `row`.
      const capacity = Math.max(row + 1, this.#start.length * 2);
      this.#start = grown(this.#start, new Int32Array(capacity).fill(-1));
      this.#length = grown(this.#length, new Int32Array(capacity));
    }
    if (value === null) {
      this.#start[row] = -1;
      return;
    }
    if (this.#used + value.length > this.#bytes.length) this.#bytes = grownBytes(this.#bytes, this.#used + value.length);
    const bytes = this.#bytes;
    const start = this.#used;
    for (let index = 0; index < value.length; index++) {
      const code = value.charCodeAt(index);
      if (code > 0x7f) {
        this.#start[row] = -2;
        this.#others.set(row, value);
        return;
      }
      bytes[start + index] = code;
    }
    this.#start[row] = start;
    this.#length[row] = value.length;
    this.#used += value.length;
  }

  snapshot(rows: number): StringColumnSnapshot {
    return { bytes: new Uint8Array(this.#bytes.subarray(0, this.#used)), start: this.#start.slice(0, rows), length: this.#length.slice(0, rows), others: new Map(this.#others) };
  }

  /** Takes over the snapshot's arrays. */
  restore(snapshot: StringColumnSnapshot): void {
    this.#bytes = Buffer.from(snapshot.bytes.buffer, snapshot.bytes.byteOffset, snapshot.bytes.byteLength);
    this.#used = snapshot.bytes.byteLength;
    this.#start = snapshot.start;
    this.#length = snapshot.length;
    for (const [row, value] of snapshot.others) this.#others.set(row, value);
  }

  get(row: number): string | null {
    const start = this.#start[row]!;
    if (start === -1) return null;
    if (start === -2) return this.#others.get(row)!;
    return latin1Slice(this.#bytes, start, start + this.#length[row]!);
  }
}

function grownBytes(old: Buffer, needed: number): Buffer {
  const next = Buffer.allocUnsafe(Math.max(needed, old.length * 2));
  old.copy(next);
  return next;
}

function grown<T extends Int32Array | Float64Array | Uint8Array>(old: T, next: T): T {
  next.set(old as never);
  return next;
}
