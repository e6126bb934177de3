// Wing–Gong / Lowe search for a linearization of one register's history, with memoisation of
// (linearized set, state) as in porcupine. Indefinite operations have no return: they may be
// linearized at any point after their invoke, or never.

import type { RegisterOperation } from './register-operation.js';

export type SearchOutcome = 'linearizable' | 'not-linearizable' | 'exceeded';

const sentinel = -0x40000000;

interface Entries {
  next: Int32Array;
  prev: Int32Array;
  /** Entry index -> operation index; returns are encoded as -(operation + 1). */
  operationOf: Int32Array;
  returnEntry: Int32Array;
}

/** Searches for a linearization; gives up with `exceeded` after `stepLimit` steps. */
export function searchLinearization(operations: readonly RegisterOperation[], stepLimit = Infinity): SearchOutcome {
  const count = operations.length;
  const values = internValues(operations);
  const entries = buildEntries(operations);
  const words = Math.ceil(count / 32) || 1;
  const linearized = new Uint32Array(words);
  const zobrist = randomHashes(count);
  const cache = new Map<number, { bits: Uint32Array; state: number }[]>();
  const stackEntry: number[] = [];
  const stackState: number[] = [];
  let returnsLeft = operations.reduce((total, operation) => total + (operation.ok ? 1 : 0), 0);
  let state = 0;
  let hash = 0;
  let entry = entries.next[0]!;
  for (let steps = 0; returnsLeft > 0; steps++) {
    if (steps >= stepLimit) return 'exceeded';
    const operationIndex = entries.operationOf[entry]!;
    if (operationIndex >= 0) {
      const newState = step(state, operations[operationIndex]!, values, operationIndex);
      if (newState >= 0) {
        const newHash = (hash ^ zobrist[operationIndex]!) >>> 0;
        linearized[operationIndex >>> 5]! |= 1 << (operationIndex & 31);
        if (remember(cache, linearized, (newHash ^ Math.imul(newState + 1, 0x9e3779b1)) >>> 0, newState)) {
          stackEntry.push(entry);
          stackState.push(state);
          state = newState;
          hash = newHash;
          if (operations[operationIndex]!.ok) returnsLeft--;
          lift(entries, entry, operationIndex);
          entry = entries.next[0]!;
          continue;
        }
        linearized[operationIndex >>> 5]! &= ~(1 << (operationIndex & 31));
      }
      entry = entries.next[entry]!;
      continue;
    }
    if (stackEntry.length === 0) return 'not-linearizable';
    entry = stackEntry.pop()!;
    state = stackState.pop()!;
    const undone = entries.operationOf[entry]!;
    hash = (hash ^ zobrist[undone]!) >>> 0;
    linearized[undone >>> 5]! &= ~(1 << (undone & 31));
    if (operations[undone]!.ok) returnsLeft++;
    unlift(entries, entry, undone);
    entry = entries.next[entry]!;
  }
  return 'linearizable';
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

/** values[2i] = interned value, values[2i+1] = interned cas `from`; null is 0. */
function internValues(operations: readonly RegisterOperation[]): Int32Array {
  const ids = new Map<string, number>();
  const intern = (value: string | null) => {
    if (value === null) return 0;
    let id = ids.get(value);
    if (id === undefined) ids.set(value, (id = ids.size + 1));
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

/** Adds (bits, state) to the cache; false when it was already there. */
function remember(cache: Map<number, { bits: Uint32Array; state: number }[]>, bits: Uint32Array, hash: number, state: number): boolean {
  let bucket = cache.get(hash);
  if (bucket === undefined) cache.set(hash, (bucket = []));
  for (const seen of bucket) {
    if (seen.state === state && sameBits(seen.bits, bits)) return false;
  }
  bucket.push({ bits: bits.slice(), state });
  return true;
}

function sameBits(a: Uint32Array, b: Uint32Array): boolean {
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
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
