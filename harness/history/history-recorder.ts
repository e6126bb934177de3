// The append-only writer of `history.jsonl` that the workload uses. Times come from one
// monotonic clock (process.hrtime.bigint) relative to the recorder's creation.

import { createWriteStream, type WriteStream } from 'node:fs';
import type { EventValue, HistoryEvent, OperationKind } from './history-event.js';

export type Completion = 'ok' | 'fail' | 'info';

export interface HistoryRecorder {
  /** Nanoseconds since the recorder was created, on the clock every event uses. */
  nowNs(): number;
  /** Records an invoke and returns its time. */
  invoke(process: number, f: OperationKind, key: string, value: EventValue): number;
  /** Records a completion and returns its time. */
  complete(process: number, type: Completion, f: OperationKind, key: string, value: EventValue, details?: { error?: string; node?: string }): number;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

export function createHistoryRecorder(path: string, startNs: bigint = process.hrtime.bigint()): HistoryRecorder {
  const stream: WriteStream = createWriteStream(path, { flags: 'a' });
  let streamError: Error | undefined;
  stream.on('error', (error) => {
    streamError = error;
  });
  const nowNs = () => Number(process.hrtime.bigint() - startNs);
  const append = (event: HistoryEvent): number => {
    if (streamError !== undefined) throw new Error(`cannot write history ${path}: ${streamError.message}; check the disk and the report directory`);
    stream.write(`${JSON.stringify(event)}\n`);
    return event.time;
  };
  return {
    nowNs,
    invoke: (process, f, key, value) => append({ process, type: 'invoke', f, key, value: f === 'read' ? null : value, time: nowNs() }),
    complete: (process, type, f, key, value, details) => {
      const event: HistoryEvent = { process, type, f, key, value, time: nowNs() };
      if (details?.error !== undefined) event.error = details.error;
      if (details?.node !== undefined) event.node = details.node;
      return append(event);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        stream.end((error?: Error | null) => {
          const failure = error ?? streamError;
          if (failure) reject(new Error(`cannot close history ${path}: ${failure.message}`));
          else resolve();
        });
      }),
  };
}
