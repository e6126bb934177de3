// Pure: the harness's time-to-detect for one run, from the first fault to the first anomalous
// operation: the earliest moment a failed check's evidence operations had all completed. Checks
// that judge node logs, not operations, carry no operation and do not count.

export interface DetectionInput {
  /** Verdicts as summary.json holds them. */
  verdicts: readonly { valid: boolean | 'unknown'; evidence?: unknown }[];
  /** Lines of the scenario's timeline.jsonl. */
  timelineLines: readonly string[];
}

/** Milliseconds from the first fault to the first anomalous operation, or undefined when either is missing. */
export function timeToDetectMs(input: DetectionInput): number | undefined {
  const firstFaultNs = firstFaultStartNs(input.timelineLines);
  const detectedNs = input.verdicts
    .filter((verdict) => verdict.valid === false)
    .map((verdict) => lastCompletionNs(verdict.evidence))
    .filter((time): time is number => time !== undefined);
  if (firstFaultNs === undefined || detectedNs.length === 0) return undefined;
  return Math.max(0, (Math.min(...detectedNs) - firstFaultNs) / 1e6);
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function firstFaultStartNs(lines: readonly string[]): number | undefined {
  for (const line of lines) {
    const event = parseLine(line);
    if (event?.event === 'fault-start' && typeof event.time === 'number') return event.time;
  }
  return undefined;
}

/** The latest `completeNs` among the operations anywhere in the evidence (at most 10,000 values looked at). */
function lastCompletionNs(evidence: unknown): number | undefined {
  let latest: number | undefined;
  const pending: unknown[] = [evidence];
  for (let visited = 0; pending.length > 0 && visited < 10_000; visited += 1) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    const record = value as Record<string, unknown>;
    if (typeof record.completeNs === 'number') latest = Math.max(latest ?? 0, record.completeNs);
    pending.push(...Object.values(record));
  }
  return latest;
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
