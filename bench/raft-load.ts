// Closed-loop load: `concurrency` workers, each with one operation in flight, for a fixed time.

/** `true` on success, else the error code (counted per code). */
export type LoadOutcome = true | string;

export interface LoadResult {
  concurrency: number;
  operations: number;
  errors: number;
  errorsByCode: Record<string, number>;
  durationMs: number;
  operationsPerSecond: number;
  latencyMsP50: number;
  latencyMsP99: number;
}

/** Successes' latencies and errors per code, gathered over one or more closed-loop runs. */
export class LoadTally {
  readonly latenciesMs: number[] = [];
  readonly errorsByCode: Record<string, number> = {};
  errors = 0;
  elapsedMs = 0;

  constructor(readonly concurrency: number) {}

  /** Throughput over the runs' summed time; only successes count toward throughput and latency. */
  result(): LoadResult {
    const sorted = [...this.latenciesMs].sort((a, b) => a - b);
    return {
      concurrency: this.concurrency,
      operations: sorted.length,
      errors: this.errors,
      errorsByCode: { ...this.errorsByCode },
      durationMs: Math.round(this.elapsedMs),
      operationsPerSecond: this.elapsedMs === 0 ? 0 : Math.round((sorted.length * 1000) / this.elapsedMs),
      latencyMsP50: round(percentile(sorted, 0.5)),
      latencyMsP99: round(percentile(sorted, 0.99)),
    };
  }
}

/**
 * `concurrency` workers, each with one operation in flight, for `durationMs`; adds to `tally`
 * (a fresh one by default) and returns everything it holds.
 */
export async function runClosedLoop(
  concurrency: number,
  durationMs: number,
  operation: (worker: number, iteration: number) => Promise<LoadOutcome>,
  tally: LoadTally = new LoadTally(concurrency),
): Promise<LoadResult> {
  const started = performance.now();
  const endAt = started + durationMs;
  const worker = async (index: number) => {
    for (let iteration = 0; performance.now() < endAt; iteration++) {
      const before = performance.now();
      const outcome = await operation(index, iteration);
      if (outcome === true) tally.latenciesMs.push(performance.now() - before);
      else {
        tally.errors++;
        tally.errorsByCode[outcome] = (tally.errorsByCode[outcome] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  tally.elapsedMs += performance.now() - started;
  return tally.result();
}

export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
