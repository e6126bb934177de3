// An in-memory history recorder with the real recorder's interface, for workload tests.

import type { HistoryEvent } from '../../harness/history/history-event.js';
import type { HistoryRecorder } from '../../harness/history/history-recorder.js';

export interface MemoryRecorder extends Pick<HistoryRecorder, 'invoke' | 'complete' | 'nowNs'> {
  events: HistoryEvent[];
  /** Resolves once `count` completions were recorded, or rejects after `timeoutMs`. */
  completions(count: number, timeoutMs: number): Promise<void>;
}

export function createMemoryRecorder(): MemoryRecorder {
  const events: HistoryEvent[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let time = 0;
  let completed = 0;
  const nowNs = () => (time += 1);
  return {
    events,
    nowNs,
    invoke(process, f, key, value) {
      events.push({ process, type: 'invoke', f, key, value: f === 'read' ? null : value, time: nowNs() });
      return time;
    },
    complete(process, type, f, key, value, details) {
      const event: HistoryEvent = { process, type, f, key, value, time: nowNs() };
      if (details?.error !== undefined) event.error = details.error;
      events.push(event);
      completed += 1;
      for (const waiter of waiters.filter((entry) => completed >= entry.count)) waiter.resolve();
      return time;
    },
    completions(count, timeoutMs) {
      if (completed >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${completed} of ${count} completions within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}
