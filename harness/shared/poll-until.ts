// The one polling loop: ask, judge, report progress, give up at a deadline. Polling is the only
// way to observe a remote node's state (cluster health, pods, test clusters); every round is
// bounded.

import { setTimeout as delay } from 'node:timers/promises';

export interface PollOptions<Finding> {
  /** What is being waited for, for messages: "a leader", "a healthy cluster". */
  what: string;
  timeoutMs: number;
  intervalMs: number;
  /** How often to report progress while waiting. */
  progressEveryMs: number;
  progress: (line: string) => void;
  signal?: AbortSignal;
  /** One round: returns the finding and whether it is the one awaited. */
  attempt: () => Promise<{ done: boolean; finding: Finding; describe: string }>;
}

export type PollOutcome<Finding> =
  | { done: true; finding: Finding; elapsedMs: number; rounds: number }
  | { done: false; finding: Finding | undefined; lastDescription: string; elapsedMs: number; rounds: number; aborted: boolean };

export async function pollUntil<Finding>(options: PollOptions<Finding>): Promise<PollOutcome<Finding>> {
  const startMs = performance.now();
  let lastProgressMs = startMs;
  let rounds = 0;
  let finding: Finding | undefined;
  let lastDescription = 'no answer yet';
  const maximumRounds = Math.ceil(options.timeoutMs / Math.max(1, options.intervalMs)) + 1;
  while (rounds < maximumRounds) {
    rounds += 1;
    const result = await options.attempt();
    finding = result.finding;
    lastDescription = result.describe;
    const elapsedMs = performance.now() - startMs;
    if (result.done) return { done: true, finding: result.finding, elapsedMs, rounds };
    if (options.signal?.aborted) return { done: false, finding, lastDescription, elapsedMs, rounds, aborted: true };
    if (elapsedMs >= options.timeoutMs) break;
    if (performance.now() - lastProgressMs >= options.progressEveryMs) {
      lastProgressMs = performance.now();
      options.progress(`waiting for ${options.what} (${Math.round(elapsedMs / 1000)}s of ${Math.round(options.timeoutMs / 1000)}s): ${lastDescription}`);
    }
    await delay(Math.min(options.intervalMs, Math.max(0, options.timeoutMs - elapsedMs)), undefined, { signal: options.signal }).catch(() => undefined);
  }
  const aborted = options.signal?.aborted ?? false;
  return { done: false, finding, lastDescription, elapsedMs: performance.now() - startMs, rounds, aborted };
}

/**
 * Polls `probe` until it gives a value, and resolves with it; rejects past the deadline, with
 * the last error the probe threw. For waits whose failure ends the caller (tests, set-up).
 */
export async function valueWithin<Value>(what: string, timeoutMs: number, intervalMs: number, probe: () => Promise<Value | undefined>): Promise<Value> {
  let lastError: Error | undefined;
  const outcome = await pollUntil<Value | undefined>({
    what,
    timeoutMs,
    intervalMs,
    progressEveryMs: Number.POSITIVE_INFINITY,
    progress: () => undefined,
    attempt: async () => {
      const value = await probe().catch((error: Error) => {
        lastError = error;
        return undefined;
      });
      return { done: value !== undefined, finding: value, describe: lastError?.message ?? 'no value yet' };
    },
  });
  if (outcome.done) return outcome.finding as Value;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError === undefined ? '' : ` (last error: ${lastError.message})`}`);
}
