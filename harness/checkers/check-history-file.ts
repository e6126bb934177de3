// checkHistory on a `history.jsonl` read piece by piece: the file's text and its events are never
// held whole; each key's operations are kept compactly (key-operation-log.ts) until the end of the
// file, then checked and dropped key by key; for a large file a second thread settles the later
// half of the keys meanwhile (key-settler.ts). Same verdicts, evidence and errors as reading the
// whole file and calling checkHistory.

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

export interface CheckHistoryFileOptions extends Omit<CheckHistoryOptions, 'fileName' | 'lines'> {
  /** Also return every operation (for the evidence page): the key logs are then kept after the check. */
  keepOperations?: boolean;
  /** From this file size on, a second thread settles about half the keys (key-settler.ts). */
  secondThreadBytesMin?: number;
}

/** About 100,000 operations: below, starting a thread costs more than it saves. */
const secondThreadBytesMinDefault = 16 * 1024 * 1024;

/** Throws MalformedHistoryError for a malformed file (the first bad line), like checkHistory. */
export async function checkHistoryFile(path: string, facts: RunFacts | undefined, options: CheckHistoryFileOptions): Promise<HistoryCheck> {
  const size = await historyFileBytes(path);
  const settler = size >= (options.secondThreadBytesMin ?? secondThreadBytesMinDefault) ? new KeySettler() : undefined;
  try {
    const { logs, labels, operationCount } = await readKeyLogs(path);
    const checks = await createHistoryChecks(facts, { ...options, fileName: path });
    await addKeys(checks, [...logs.values()], labels, settler);
    const verdicts = await checks.finish(operationCount, (index) => operationOf(logs, index));
    const result: HistoryCheck = { valid: composeValidity(verdicts.map((verdict) => verdict.valid)), verdicts, operationCount };
    if (options.keepOperations) result.operations = operationsByKey(logs);
    return result;
  } finally {
    await settler?.stop();
  }
}

/**
 * Adds every key, in order. With a second thread, the keys that hold the later half of the
 * operations go to it first; this thread checks the earlier keys meanwhile, then adds the later
 * ones with what the thread found.
 */
async function addKeys(checks: HistoryChecks, logs: KeyOperationLog[], labels: LabelTable, settler: KeySettler | undefined): Promise<void> {
  const split = settler === undefined ? logs.length : halfOfTheOperations(logs);
  const settling = settler?.settle(logs.slice(split), labels);
  for (const log of logs.slice(0, split)) checks.addKey(log.key, log);
  const settled = (await settling) ?? [];
  logs.slice(split).forEach((log, index) => checks.addKey(log.key, log, settled[index]));
}

/** The first index from which the logs hold no more than half of the operations. */
function halfOfTheOperations(logs: readonly KeyOperationLog[]): number {
  const total = logs.reduce((sum, log) => sum + log.length, 0);
  let later = 0;
  let split = logs.length;
  while (split > 0 && (later + logs[split - 1]!.length) * 2 <= total) later += logs[--split]!.length;
  return split;
}

/**
 * The operations of each key, keys in the order of their first operation. Every line is parsed
 * before a process-rule error is thrown, so that a malformed line anywhere is reported first,
 * as when the whole file is parsed before pairing.
 */
async function readKeyLogs(path: string): Promise<{ logs: Map<string, KeyOperationLog>; labels: LabelTable; operationCount: number }> {
  const logs = new Map<string, KeyOperationLog>();
  const labels = new LabelTable();
  const pairer = new OperationPairer(path, {
    invoked(invoke, index) {
      let log = logs.get(invoke.key);
      if (log === undefined) logs.set(invoke.key, (log = new KeyOperationLog(invoke.key, labels)));
      return log.append(invoke, index);
    },
    completed(invoke, completion, row) {
      logs.get(invoke.key)!.complete(row, completion);
    },
  });
  let events = 0;
  let pairingError: MalformedHistoryError | undefined;
  await forEachHistoryEvent(path, (event, lineNumber) => {
    events++;
    if (pairingError !== undefined) return;
    try {
      pairer.add(event, lineNumber);
    } catch (error) {
      if (!(error instanceof MalformedHistoryError)) throw error;
      pairingError = error;
    }
  });
  if (events === 0) throw noOperations(path);
  if (pairingError !== undefined) throw pairingError;
  return { logs, labels, operationCount: pairer.count };
}

/** The operations of every key, made one key at a time as they are iterated. */
function operationsByKey(logs: Map<string, KeyOperationLog>): Iterable<Operation> {
  return {
    *[Symbol.iterator]() {
      for (const log of logs.values()) yield* log.operations();
    },
  };
}

function operationOf(logs: Map<string, KeyOperationLog>, index: number): Operation {
  for (const log of logs.values()) {
    const operation = log.operation(index);
    if (operation !== undefined) return operation;
  }
  throw new Error(`no operation ${index} in the history; the evidence names an operation that was never read`);
}
