// Durations in scenario files: `500ms`, `2s`, `1.5m`, `1h`, or a plain number of milliseconds.

export const durationPattern = '^\\d+(\\.\\d+)?(ms|s|m|h)$';

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds for a duration value, or undefined when it is not one. */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (match === null) return undefined;
  return Math.round(Number(match[1]) * unitMs[match[2]]);
}

/** Milliseconds of a value the schema already validated as a duration. */
export function validatedDurationMs(value: unknown): number {
  const parsed = parseDurationMs(value);
  if (parsed === undefined) throw new Error(`internal: ${JSON.stringify(value)} passed validation but is not a duration`);
  return parsed;
}

/** `1500` -> `1.5s`, `60000` -> `1m`, `250` -> `250ms`: for messages and the console. */
export function formatDurationMs(durationMs: number): string {
  if (durationMs < 1000) return `${Math.round(durationMs)}ms`;
  if (durationMs < 60_000) return `${Number((durationMs / 1000).toFixed(1))}s`;
  return `${Number((durationMs / 60_000).toFixed(1))}m`;
}
