// checkHistory on a `history.jsonl` read piece by piece: the file's text and its events are never
// held whole; each key's operations are kept compactly (key-operation-log.ts) until the end of the
// file, then checked and dropped key by key. Same verdicts, evidence and errors as reading the
// whole file and calling checkHistory.

import { KeyOperationLog, LabelTable } from '../history/key-operation-log.js';
import { MalformedHistoryError } from '../history/malformed-history-error.js';
import type { Operation } from '../history/operation.js';
import { OperationPairer } from '../history/pair-operations.js';
import { forEachHistoryEvent } from '../history/read-history-events.js';
import type { HistoryCheck } from './check-history.js';
import { createHistoryChecks, noOperations, type CheckHistoryOptions } from './history-checks.js';
import type { RunFacts } from './run-facts.js';
import { composeValidity } from './verdict.js';

export interface CheckHistoryFileOptions extends Omit<CheckHistoryOptions, 'fileName' | 'lines'> {
  /** Also return every operation (for the evidence page): the key logs are then kept after the check. */
  keepOperations?: boolean;
}

/** Throws MalformedHistoryError for a malformed file (the first bad line), like checkHistory. */
export async function checkHistoryFile(path: string, facts: RunFacts | undefined, options: CheckHistoryFileOptions): Promise<HistoryCheck> {
  const { logs, operationCount } = await readKeyLogs(path);
  const checks = await createHistoryChecks(facts, { ...options, fileName: path });
  for (const [key, log] of logs) checks.addKey(key, log.operations());
  const verdicts = await checks.finish(operationCount, (index) => operationOf(logs, index));
  const result: HistoryCheck = { valid: composeValidity(verdicts.map((verdict) => verdict.valid)), verdicts, operationCount };
  if (options.keepOperations) result.operations = operationsByKey(logs);
  return result;
}

/**
 * The operations of each key, keys in the order of their first operation. Every line is parsed
 * before a process-rule error is thrown, so that a malformed line anywhere is reported first,
 * as when the whole file is parsed before pairing.
 */
async function readKeyLogs(path: string): Promise<{ logs: Map<string, KeyOperationLog>; operationCount: number }> {
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
  return { logs, operationCount: pairer.count };
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
