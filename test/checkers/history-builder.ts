// Hand-written histories for checker tests: one call per operation, times in milliseconds.

import type { EventValue, HistoryEvent, OperationKind } from '../../harness/history/history-event.js';

export type Outcome = 'ok' | 'fail' | 'info';

export class HistoryBuilder {
  private readonly events: HistoryEvent[] = [];

  /** An operation invoked at `invokeMs` and completed at `completeMs` (null: never completed). */
  op(process: number, f: OperationKind, key: string, value: EventValue, invokeMs: number, completeMs: number | null, outcome: Outcome = 'ok'): this {
    this.events.push({ process, type: 'invoke', f, key, value: f === 'read' ? null : value, time: Math.round(invokeMs * 1e6) });
    if (completeMs !== null) this.events.push({ process, type: outcome, f, key, value: f === 'read' && outcome !== 'ok' ? null : value, time: Math.round(completeMs * 1e6), ...(outcome === 'ok' ? {} : { error: outcome === 'fail' ? 'cas_mismatch' : 'timeout' }) });
    return this;
  }

  write(process: number, key: string, value: string, invokeMs: number, completeMs: number | null, outcome: Outcome = 'ok'): this {
    return this.op(process, 'write', key, value, invokeMs, completeMs, outcome);
  }

  read(process: number, key: string, value: string | null, invokeMs: number, completeMs: number): this {
    return this.op(process, 'read', key, value, invokeMs, completeMs);
  }

  cas(process: number, key: string, from: string | null, to: string, invokeMs: number, completeMs: number | null, outcome: Outcome = 'ok'): this {
    return this.op(process, 'cas', key, [from, to], invokeMs, completeMs, outcome);
  }

  remove(process: number, key: string, invokeMs: number, completeMs: number | null, outcome: Outcome = 'ok'): this {
    return this.op(process, 'delete', key, null, invokeMs, completeMs, outcome);
  }

  /** Events in time order (completions before invokes at the same instant). */
  build(): HistoryEvent[] {
    return [...this.events].sort((a, b) => a.time - b.time || (a.type === 'invoke' ? 1 : 0) - (b.type === 'invoke' ? 1 : 0));
  }
}

export function history(): HistoryBuilder {
  return new HistoryBuilder();
}
