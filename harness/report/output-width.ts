// How wide the output may be: the terminal's columns, or $COLUMNS when the output is not a
// terminal but the user set it; unlimited otherwise (logs, files and pipes keep whole lines).
// Also wraps text to that width with a hanging indent.

import wrapAnsi from 'wrap-ansi';

export interface SizedStream {
  isTTY?: boolean;
  columns?: number;
}

export function outputWidth(stream: SizedStream, environment: NodeJS.ProcessEnv = process.env): number | undefined {
  if (stream.isTTY === true && stream.columns !== undefined && stream.columns > 0) return stream.columns;
  const fromEnvironment = Number.parseInt(environment.COLUMNS ?? '', 10);
  return Number.isFinite(fromEnvironment) && fromEnvironment > 0 ? fromEnvironment : undefined;
}

/**
 * `text` wrapped to `width` columns, the first line starting at column `start` (already taken by
 * what precedes it) and every further line indented to `start`. Unlimited width: unchanged.
 */
export function wrapHanging(text: string, start: number, width: number | undefined): string {
  if (width === undefined) return text;
  const room = Math.max(20, width - start);
  return wrapAnsi(text, room, { hard: true, trim: true }).split('\n').join(`\n${' '.repeat(start)}`);
}
