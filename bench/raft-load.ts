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

/** Only successes count toward throughput and latency. */
export async function runClosedLoop(concurrency: number, durationMs: number, operation: (worker: number, iteration: number) => Promise<LoadOutcome>): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const errorsByCode: Record<string, number> = {};
  let errors = 0;
  const started = performance.now();
  const endAt = started + durationMs;
  const worker = async (index: number) => {
    for (let iteration = 0; performance.now() < endAt; iteration++) {
      const before = performance.now();
      const outcome = await operation(index, iteration);
      if (outcome === true) latenciesMs.push(performance.now() - before);
      else {
        errors++;
        errorsByCode[outcome] = (errorsByCode[outcome] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  const elapsedMs = performance.now() - started;
  latenciesMs.sort((a, b) => a - b);
  return {
    concurrency,
    operations: latenciesMs.length,
    errors,
    errorsByCode,
    durationMs: Math.round(elapsedMs),
    operationsPerSecond: Math.round((latenciesMs.length * 1000) / elapsedMs),
    latencyMsP50: round(percentile(latenciesMs, 0.5)),
    latencyMsP99: round(percentile(latenciesMs, 0.99)),
  };
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
