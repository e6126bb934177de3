// Pure rules for shaping a directed link: when a chunk may be delivered (delay plus jitter,
// never overtaking an earlier chunk) and which newline-delimited messages survive a drop rate.

import type { LinkShape } from '../../platform/platform.js';

/** Complete lines (each with its trailing newline) and the incomplete rest of the stream. */
export interface SplitLines {
  lines: Buffer[];
  rest: Buffer;
}

const newline = 0x0a;

/** Splits `carry + chunk` into complete lines and what is left after the last newline. */
export function splitLines(carry: Buffer, chunk: Buffer): SplitLines {
  const data = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = data.indexOf(newline); end >= 0; end = data.indexOf(newline, start)) {
    lines.push(data.subarray(start, end + 1));
    start = end + 1;
  }
  return { lines, rest: data.subarray(start) };
}

/** Whether one message survives a link that drops `dropRate` of its messages. */
export function survivesDrop(dropRate: number, random: () => number): boolean {
  return dropRate <= 0 || random() >= dropRate;
}

/**
 * When a chunk received at `nowMs` may be delivered: after the link's delay plus a random
 * jitter in [0, jitterMs], and never before the chunk received ahead of it, so order holds.
 */
export function deliveryTimeMs(
  nowMs: number,
  previousDeliveryMs: number,
  shape: LinkShape | undefined,
  random: () => number,
): number {
  const addedMs = shape === undefined ? 0 : shape.delayMs + random() * shape.jitterMs;
  return Math.max(nowMs + addedMs, previousDeliveryMs);
}

/** Checks a shape's numbers, naming the bad field and what was expected. */
export function validateShape(shape: LinkShape): void {
  const problems: string[] = [];
  if (!(shape.delayMs >= 0)) problems.push(`delayMs: expected a number >= 0, got ${shape.delayMs}`);
  if (!(shape.jitterMs >= 0)) problems.push(`jitterMs: expected a number >= 0, got ${shape.jitterMs}`);
  if (!(shape.dropRate >= 0 && shape.dropRate <= 1)) {
    problems.push(`dropRate: expected a number in [0, 1], got ${shape.dropRate}`);
  }
  if (problems.length > 0) throw new Error(`local platform: invalid link shape: ${problems.join('; ')}`);
}
