// One monotonic clock for a whole scenario: the history, the fault timeline and the run facts
// all count nanoseconds from the same start.

export interface RunClock {
  readonly startNs: bigint;
  nowNs(): number;
  nowMs(): number;
}

export function createRunClock(startNs: bigint = process.hrtime.bigint()): RunClock {
  const nowNs = () => Number(process.hrtime.bigint() - startNs);
  return { startNs, nowNs, nowMs: () => nowNs() / 1e6 };
}
