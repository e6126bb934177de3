// checkHistory on a `history.jsonl` read piece by piece: the file's text and its events are never
// held whole. Each key's operations are kept compactly (key-operation-log.ts); a key left idle for
// a while is parked on disk (key-log-spill.ts) until it is touched again, so that a long run's
// thousands of keys do not all sit in memory until the end. At the end of the file the keys are
// checked one by one and dropped, unless the evidence may still name their operations; for a
// large file a second thread settles about half of the keys still in memory (key-settler.ts).
// Same verdicts, evidence and errors as reading the whole file and calling checkHistory.

import { forEachOperation } from '../history/for-each-operation.js';
import { KeyLogSpill, type ParkedKeyLog } from '../history/key-log-spill.js';
import type { HistoryEvent } from '../history/history-event.js';
import { KeyOperationLog, LabelTable } from '../history/key-operation-log.js';
import { MalformedHistoryError } from '../history/malformed-history-error.js';
import type { Operation } from '../history/operation.js';
import { OperationPairer } from '../history/pair-operations.js';
import { forEachHistoryEvent, historyFileBytes } from '../history/read-history-events.js';
import type { HistoryCheck } from './check-history.js';
import { createHistoryChecks, noOperations, type CheckHistoryOptions, type HistoryChecks } from './history-checks.js';
import { KeySettler } from './key-settler.js';
import type { RunFacts } from './run-facts.js';
import { composeValidity } from './verdict.js';

export interface CheckHistoryFileOptions extends Omit<CheckHistoryOptions, 'fileName' | 'lines' | 'onKeyDone'> {
  /** Also give every operation (for the evidence page): kept in memory for a small file, read again for a large one. */
  keepOperations?: boolean;
  /** From this file size on the file is large: a second thread settles about half the keys left in memory at the end (key-settler.ts), and the operations for the page are read again. */
  secondThreadBytesMin?: number;
  /** A key with no event in this many lines is parked on disk (unless every operation is kept in memory). */
  parkAfterIdleLines?: number;
}

/** About 100,000 operations: below, starting a thread costs more than it saves. */
const secondThreadBytesMinDefault = 16 * 1024 * 1024;
/** About 30 seconds of a 1,000-operation-per-second run. */
const parkAfterIdleLinesDefault = 65_536;

/** Operations of parked keys waiting for the linearizability search, at most. */
const searchBacklogOperationsMax = 65_536;

/** Throws MalformedHistoryError for a malformed file (the first bad line), like checkHistory. */
export async function checkHistoryFile(path: string, facts: RunFacts | undefined, options: CheckHistoryFileOptions): Promise<HistoryCheck> {
  const large = (await historyFileBytes(path)) >= (options.secondThreadBytesMin ?? secondThreadBytesMinDefault);
  const keepAll = options.keepOperations === true && !large;
  const settler = large ? new KeySettler() : undefined;
  const keys = new KeyStore(keepAll ? Infinity : (options.parkAfterIdleLines ?? parkAfterIdleLinesDefault));
  const checks = await createHistoryChecks(facts, { ...options, fileName: path, onKeyDone: (key) => keepAll || keys.forget(key) });
  try {
    const operationCount = await readKeys(path, keys);
    checks.restartBudget();
    await addKeys(checks, keys, settler);
    const verdicts = await checks.finish(operationCount, (index) => keys.operationOf(index));
    const result: HistoryCheck = { valid: composeValidity(verdicts.map((verdict) => verdict.valid)), verdicts, operationCount };
    if (keepAll) result.operations = keys.operations();
    else if (options.keepOperations) result.forEachOperation = (visit) => forEachOperation(path, visit);
    return result;
  } catch (error) {
    await checks.abandon();
    throw error;
  } finally {
    keys.close();
    await settler?.stop();
  }
}

/** One key's operations: the earlier ones parked on disk in pieces, the later ones in memory. */
interface KeyEntry {
  parked: ParkedKeyLog[];
  /** Rows in the parked pieces; the rows in memory come after them. */
  parkedRows: number;
  inMemory: KeyOperationLog | undefined;
  lastLine: number;
}

/**
 * The keys of a history, in the order of their first operation. Every `sweepLines` lines, the
 * operations of each key idle for `parkAfterIdleLines` lines are parked, and a key's new operations
 * start a new piece in memory: a key read once more at the end of a run is not brought back for it.
 */
class KeyStore {
  readonly labels = new LabelTable();
  readonly #entries = new Map<string, KeyEntry>();
  readonly #sweepLines: number;
  #nextSweep: number;
  #spill: KeyLogSpill | undefined;

  constructor(private readonly parkAfterIdleLines: number) {
    this.#sweepLines = Math.max(1, Math.ceil(parkAfterIdleLines / 4));
    this.#nextSweep = this.#sweepLines;
  }

  /** Adds an invoked operation; returns its row among the key's rows. */
  invoked(invoke: HistoryEvent, index: number, line: number): number {
    let entry = this.#entries.get(invoke.key);
    if (entry === undefined) this.#entries.set(invoke.key, (entry = { parked: [], parkedRows: 0, inMemory: undefined, lastLine: line }));
    entry.lastLine = line;
    entry.inMemory ??= new KeyOperationLog(invoke.key, this.labels);
    return entry.parkedRows + entry.inMemory.append(invoke, index);
  }

  /** Completes the operation of `row`; one parked meanwhile brings its key back whole. */
  completed(invoke: HistoryEvent, completion: HistoryEvent, row: number, line: number): void {
    const entry = this.#entries.get(invoke.key)!;
    entry.lastLine = line;
    if (row < entry.parkedRows) {
      entry.inMemory = this.take(invoke.key);
      entry.parked = [];
      entry.parkedRows = 0;
    }
    entry.inMemory!.complete(row - entry.parkedRows, completion);
  }

  /** Parks the idle keys when a sweep is due. */
  passed(line: number): void {
    if (line < this.#nextSweep) return;
    this.#nextSweep = line + this.#sweepLines;
    for (const entry of this.#entries.values()) {
      if (entry.inMemory === undefined || line - entry.lastLine < this.parkAfterIdleLines) continue;
      entry.parked.push((this.#spill ??= new KeyLogSpill()).park(entry.inMemory));
      entry.parkedRows += entry.inMemory.length;
      entry.inMemory = undefined;
    }
  }

  /** Every key in order, with its log if it is all in memory (else take it with `take`). */
  *keys(): Generator<[string, KeyOperationLog | undefined]> {
    for (const [key, entry] of this.#entries) yield [key, entry.parked.length === 0 ? entry.inMemory : undefined];
  }

  /** The whole log of a key, its parked pieces read back; they stay parked too. */
  take(key: string): KeyOperationLog {
    const entry = this.#entries.get(key)!;
    const [first, ...later] = entry.parked;
    if (first === undefined) return entry.inMemory!;
    const log = this.#spill!.restore(first, this.labels);
    for (const piece of later) log.appendRows(this.#spill!.restore(piece, this.labels));
    if (entry.inMemory !== undefined) log.appendRows(entry.inMemory);
    return log;
  }

  /** The key will not be asked for again. */
  forget(key: string): void {
    this.#entries.delete(key);
  }

  operationOf(index: number): Operation {
    for (const key of this.#entries.keys()) {
      const operation = this.take(key).operation(index);
      if (operation !== undefined) return operation;
    }
    throw new Error(`no operation ${index} in the history; the evidence names an operation that was never read`);
  }

  /** The operations of every key, made one key at a time as they are iterated. */
  operations(): Iterable<Operation> {
    const store = this;
    return {
      *[Symbol.iterator]() {
        for (const [key] of store.keys()) yield* store.take(key).operations();
      },
    };
  }

  close(): void {
    this.#spill?.close();
  }
}

/**
 * Reads the file into the key store; returns the number of operations. Every line is parsed
 * before a process-rule error is thrown, so that a malformed line anywhere is reported first, as
 * when the whole file is parsed before pairing.
 */
async function readKeys(path: string, keys: KeyStore): Promise<number> {
  let line = 0;
  const pairer = new OperationPairer(path, {
    invoked: (invoke, index) => keys.invoked(invoke, index, line),
    completed: (invoke, completion, row) => keys.completed(invoke, completion, row, line),
  });
  let events = 0;
  let pairingError: MalformedHistoryError | undefined;
  await forEachHistoryEvent(path, (event, lineNumber) => {
    events++;
    if (pairingError !== undefined) return;
    line = lineNumber;
    try {
      pairer.add(event, lineNumber);
    } catch (error) {
      if (!(error instanceof MalformedHistoryError)) throw error;
      pairingError = error;
    }
    keys.passed(lineNumber);
  });
  if (events === 0) throw noOperations(path);
  if (pairingError !== undefined) throw pairingError;
  return pairer.count;
}

/**
 * Adds every key. The parked ones come back one at a time and go again once added. Of those in
 * memory, with a second thread, the keys that hold the later half of their operations go to it
 * first; this thread checks the others meanwhile, then adds the later ones with what it found.
 */
async function addKeys(checks: HistoryChecks, keys: KeyStore, settler: KeySettler | undefined): Promise<void> {
  const inMemory: KeyOperationLog[] = [];
  const parked: string[] = [];
  for (const [key, log] of keys.keys()) {
    if (log === undefined) parked.push(key);
    else inMemory.push(log);
  }
  const split = settler === undefined ? inMemory.length : halfOfTheOperations(inMemory);
  const settling = settler?.settle(inMemory.slice(split), keys.labels);
  for (const log of inMemory.slice(0, split)) checks.addKey(log.key, log);
  // One at a time: each log read back is garbage once added, and no faster than the search takes them.
  for (const key of parked) {
    checks.addKey(key, keys.take(key));
    await checks.searchCaughtUp(searchBacklogOperationsMax);
  }
  const settled = (await settling) ?? [];
  inMemory.slice(split).forEach((log, index) => checks.addKey(log.key, log, settled[index]));
}

/** The first index from which the logs hold no more than half of the operations. */
function halfOfTheOperations(logs: readonly KeyOperationLog[]): number {
  const total = logs.reduce((sum, log) => sum + log.length, 0);
  let later = 0;
  let split = logs.length;
  while (split > 0 && (later + logs[split - 1]!.length) * 2 <= total) later += logs[--split]!.length;
  return split;
}
