// Closed-loop load: `concurrency` workers, each with one operation in flight, for a fixed time.

export interface LoadResult {
  concurrency: number;
  operations: number;
  errors: number;
  durationMs: number;
  operationsPerSecond: number;
  latencyMsP50: number;
  latencyMsP99: number;
}

/** `operation` resolves true on success; only successes count toward throughput and latency. */
export async function runClosedLoop(concurrency: number, durationMs: number, operation: (worker: number, iteration: number) => Promise<boolean>): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  const started = performance.now();
  const endAt = started + durationMs;
  const worker = async (index: number) => {
    for (let iteration = 0; performance.now() < endAt; iteration++) {
      const before = performance.now();
      if (await operation(index, iteration)) latenciesMs.push(performance.now() - before);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  const elapsedMs = performance.now() - started;
  latenciesMs.sort((a, b) => a - b);
  return {
    concurrency,
    operations: latenciesMs.length,
    errors,
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
