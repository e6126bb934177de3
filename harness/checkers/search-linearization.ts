// Wing–Gong / Lowe search for a linearization of one register's history, with memoisation of
// (linearized set, state) as in porcupine. Indefinite operations have no return: they may be
// linearized at any point after their invoke, or never. Three reductions keep it near linear on
// valid histories, each exact: reads are never branched on, values no operation can observe are
// one state, and a value still awaited is never left for good (see searchLinearization,
// internValues and ValueDemand).

import { ConfigurationMemo } from './configuration-memo.js';
import { observedValues, type RegisterOperation } from './register-operation.js';

export type SearchOutcome = 'linearizable' | 'not-linearizable' | 'exceeded';

const sentinel = -0x40000000;

interface Entries {
  next: Int32Array;
  prev: Int32Array;
  /** Entry index -> operation index; returns are encoded as -(operation + 1). */
  operationOf: Int32Array;
  returnEntry: Int32Array;
}

/**
 * Searches for a linearization; gives up with `exceeded` after `stepLimit` steps.
 *
 * At each point the operations that may come next are those invoked before any pending operation
 * returned. Reads are never branched on: the search first takes any such read that fits the
 * state. A read changes no state, and every operation that had to come before it already has, so
 * any linearization from this point can be reordered to take the read first; if that fails, the
 * point fails. Only when no read fits does it branch over the other operations, the one that must
 * return first tried first (indefinite ones last), which is most often the one that came first.
 */
export function searchLinearization(operations: readonly RegisterOperation[], stepLimit = Infinity): SearchOutcome {
  const count = operations.length;
  const values = internValues(operations);
  const entries = buildEntries(operations);
  const words = Math.ceil(count / 32) || 1;
  const linearized = new Uint32Array(words);
  const zobrist = randomHashes(count);
  const isRead = operations.map((operation) => operation.kind === 'read');
  const rank = rankByReturn(operations);
  const memo = new ConfigurationMemo(operations.map((operation) => !operation.ok));
  const demand = new ValueDemand(operations, values);
  const stackEntry: number[] = [];
  const stackState: number[] = [];
  let returnsLeft = operations.reduce((total, operation) => total + (operation.ok ? 1 : 0), 0);
  let state = 0;
  let hash = 0;
  /** At the current point: -2 while looking for a read, else the rank of the last other operation tried. */
  let tried = -2;
  for (let steps = 0; returnsLeft > 0; steps++) {
    if (steps >= stepLimit) return 'exceeded';
    // The next operation to try at this point, or -1 when none is left.
    let entry = -1;
    if (tried === -2) {
      for (let candidate = entries.next[0]!; entries.operationOf[candidate]! >= 0; candidate = entries.next[candidate]!) {
        const operation = entries.operationOf[candidate]!;
        if (isRead[operation] && step(state, operations[operation]!, values, operation) >= 0) {
          entry = candidate;
          break;
        }
      }
      if (entry < 0) tried = -1;
    }
    if (tried >= -1) {
      let best = Infinity;
      for (let candidate = entries.next[0]!; entries.operationOf[candidate]! >= 0; candidate = entries.next[candidate]!) {
        const operation = entries.operationOf[candidate]!;
        if (isRead[operation] || rank[operation]! <= tried || rank[operation]! >= best) continue;
        const next = step(state, operations[operation]!, values, operation);
        if (next < 0 || (next !== state && demand.strands(state, operation))) continue;
        best = rank[operation]!;
        entry = candidate;
      }
    }
    if (entry >= 0) {
      const operationIndex = entries.operationOf[entry]!;
      const newState = step(state, operations[operationIndex]!, values, operationIndex);
      const newHash = (hash ^ zobrist[operationIndex]!) >>> 0;
      linearized[operationIndex >>> 5]! |= 1 << (operationIndex & 31);
      const isNew = memo.remember(linearized, newState, (newHash ^ Math.imul(newState + 1, 0x9e3779b1)) >>> 0);
      if (isNew === null) return 'exceeded';
      if (isNew) {
        stackEntry.push(entry);
        stackState.push(state);
        state = newState;
        hash = newHash;
        if (operations[operationIndex]!.ok) returnsLeft--;
        demand.take(operationIndex);
        lift(entries, entry, operationIndex);
        tried = -2;
        continue;
      }
      linearized[operationIndex >>> 5]! &= ~(1 << (operationIndex & 31));
      // Taking a read leads where the search has already failed: so does this point.
      if (!isRead[operationIndex]) {
        tried = rank[operationIndex]!;
        continue;
      }
    }
    // This point fails. Backtrack past the reads (they were no choice) to the last other
    // operation, and try the next one at its point.
    let undone: number;
    do {
      if (stackEntry.length === 0) return 'not-linearizable';
      const popped = stackEntry.pop()!;
      state = stackState.pop()!;
      undone = entries.operationOf[popped]!;
      hash = (hash ^ zobrist[undone]!) >>> 0;
      linearized[undone >>> 5]! &= ~(1 << (undone & 31));
      if (operations[undone]!.ok) returnsLeft++;
      demand.untake(undone);
      unlift(entries, popped, undone);
    } while (isRead[undone]);
    tried = rank[undone]!;
  }
  return 'linearizable';
}

/**
 * For each value, how many of the operations not yet linearized must see it current (acknowledged
 * reads of it, acknowledged cas from it) and how many could still make it current. Leaving a
 * value that is still awaited with no writer of it left strands those operations: the search
 * turns back at once instead of finding out when they return.
 */
class ValueDemand {
  private readonly consumedValue: Int32Array;
  private readonly writtenValue: Int32Array;
  private readonly consumers: Int32Array;
  private readonly writers: Int32Array;

  constructor(operations: readonly RegisterOperation[], values: Int32Array) {
    let ids = 1;
    for (const value of values) ids = Math.max(ids, value + 1);
    this.consumers = new Int32Array(ids);
    this.writers = new Int32Array(ids);
    this.consumedValue = new Int32Array(operations.length).fill(-1);
    this.writtenValue = new Int32Array(operations.length).fill(-1);
    operations.forEach((operation, index) => {
      if (operation.kind === 'read') this.consumedValue[index] = values[index * 2]!;
      else {
        this.writtenValue[index] = values[index * 2]!;
        if (operation.kind === 'cas') this.consumedValue[index] = values[index * 2 + 1]!;
      }
      // Indefinite operations may never take effect: nothing waits for them to see a value.
      if (!operation.ok) this.consumedValue[index] = -1;
      if (this.consumedValue[index]! >= 0) this.consumers[this.consumedValue[index]!]!++;
      if (this.writtenValue[index]! >= 0) this.writers[this.writtenValue[index]!]!++;
    });
  }

  /** Whether taking `operation`, which replaces the current `value`, leaves an operation waiting for it in vain. */
  strands(value: number, operation: number): boolean {
    const waiting = this.consumers[value]! - (this.consumedValue[operation] === value ? 1 : 0);
    const writers = this.writers[value]! - (this.writtenValue[operation] === value ? 1 : 0);
    return waiting > 0 && writers === 0;
  }

  take(operation: number): void {
    if (this.consumedValue[operation]! >= 0) this.consumers[this.consumedValue[operation]!]!--;
    if (this.writtenValue[operation]! >= 0) this.writers[this.writtenValue[operation]!]!--;
  }

  untake(operation: number): void {
    if (this.consumedValue[operation]! >= 0) this.consumers[this.consumedValue[operation]!]!++;
    if (this.writtenValue[operation]! >= 0) this.writers[this.writtenValue[operation]!]!++;
  }
}

/** A total order of the operations by return time (indefinite ones last), then invoke, then index. */
function rankByReturn(operations: readonly RegisterOperation[]): Int32Array {
  const order = operations.map((_, index) => index);
  order.sort((a, b) => operations[a]!.completeNs - operations[b]!.completeNs || operations[a]!.invokeNs - operations[b]!.invokeNs || a - b);
  const rank = new Int32Array(operations.length);
  order.forEach((operation, position) => (rank[operation] = position));
  return rank;
}

/** The register state after `operation`, or -1 when it cannot take effect in `state`. State 0 is null. */
function step(state: number, operation: RegisterOperation, values: Int32Array, operationIndex: number): number {
  switch (operation.kind) {
    case 'read':
      return state === values[operationIndex * 2] ? state : -1;
    case 'write':
      return values[operationIndex * 2]!;
    case 'delete':
      return 0;
    case 'cas':
      return state === values[operationIndex * 2 + 1] ? values[operationIndex * 2]! : -1;
  }
}

/**
 * values[2i] = interned value, values[2i+1] = interned cas `from`; null is 0. Values no read
 * returns and no cas replaces all share one id: no operation can tell them apart, so configurations
 * that differ only in which of them is current are one (the memo then merges them).
 */
function internValues(operations: readonly RegisterOperation[]): Int32Array {
  const consumed = observedValues(operations);
  const unseen = 1;
  const ids = new Map<string, number>();
  const intern = (value: string | null) => {
    if (value === null) return 0;
    if (!consumed.has(value)) return unseen;
    let id = ids.get(value);
    if (id === undefined) ids.set(value, (id = ids.size + 2));
    return id;
  };
  const values = new Int32Array(operations.length * 2);
  operations.forEach((operation, index) => {
    values[index * 2] = intern(operation.value);
    values[index * 2 + 1] = intern(operation.from);
  });
  return values;
}

function buildEntries(operations: readonly RegisterOperation[]): Entries {
  const points: { time: number; isReturn: boolean; operation: number }[] = [];
  operations.forEach((operation, index) => {
    points.push({ time: operation.invokeNs, isReturn: false, operation: index });
    if (operation.ok) points.push({ time: operation.completeNs, isReturn: true, operation: index });
  });
  points.sort((a, b) => a.time - b.time || Number(a.isReturn) - Number(b.isReturn));
  const size = points.length + 2;
  const entries: Entries = { next: new Int32Array(size), prev: new Int32Array(size), operationOf: new Int32Array(size), returnEntry: new Int32Array(operations.length).fill(-1) };
  const tail = size - 1;
  for (let index = 0; index < size; index++) {
    entries.next[index] = Math.min(index + 1, tail);
    entries.prev[index] = Math.max(index - 1, 0);
  }
  points.forEach((point, index) => {
    entries.operationOf[index + 1] = point.isReturn ? -(point.operation + 1) : point.operation;
    if (point.isReturn) entries.returnEntry[point.operation] = index + 1;
  });
  entries.operationOf[0] = sentinel;
  entries.operationOf[tail] = sentinel;
  return entries;
}

function lift(entries: Entries, entry: number, operation: number): void {
  unlink(entries, entry);
  const returnEntry = entries.returnEntry[operation]!;
  if (returnEntry >= 0) unlink(entries, returnEntry);
}

function unlift(entries: Entries, entry: number, operation: number): void {
  const returnEntry = entries.returnEntry[operation]!;
  if (returnEntry >= 0) relink(entries, returnEntry);
  relink(entries, entry);
}

function unlink(entries: Entries, entry: number): void {
  entries.next[entries.prev[entry]!] = entries.next[entry]!;
  entries.prev[entries.next[entry]!] = entries.prev[entry]!;
}

function relink(entries: Entries, entry: number): void {
  entries.next[entries.prev[entry]!] = entry;
  entries.prev[entries.next[entry]!] = entry;
}

/** Deterministic per-operation hashes (xorshift), so runs are reproducible. */
function randomHashes(count: number): Uint32Array {
  const hashes = new Uint32Array(count);
  let seed = 0x2545f491;
  for (let index = 0; index < count; index++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    hashes[index] = seed >>> 0;
  }
  return hashes;
}
