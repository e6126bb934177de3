// Spaces operation starts over all workers to a target rate: each start takes the next slot
// 1000/rate ms after the previous one. Rate 0: no limit.

import { setTimeout as delay } from 'node:timers/promises';

export interface RateLimiter {
  /** Resolves when this caller may start an operation; resolves early (false) on abort. */
  acquire(signal: AbortSignal): Promise<boolean>;
}

export function createRateLimiter(ratePerSecond: number): RateLimiter {
  const intervalMs = ratePerSecond > 0 ? 1000 / ratePerSecond : 0;
  let nextStartMs = performance.now();
  return {
    async acquire(signal) {
      if (signal.aborted) return false;
      if (intervalMs === 0) return true;
      const nowMs = performance.now();
      // Never bank more than one interval of unused slots: a stall does not cause a burst.
      const startMs = Math.max(nextStartMs, nowMs - intervalMs);
      nextStartMs = startMs + intervalMs;
      const waitMs = startMs - nowMs;
      if (waitMs > 0) await delay(waitMs, undefined, { signal }).catch(() => undefined);
      return !signal.aborted;
    },
  };
}
