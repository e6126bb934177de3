// Command-line numbers, checked: a bad value is a UsageError (exit 2) naming the flag.

import { UsageError } from './usage-error.js';

export function parseIntegerFlag(flag: string, value: string | undefined, minimum: number, maximum: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < minimum || parsed > maximum) {
    throw new UsageError(`${flag}: expected a whole number from ${minimum} to ${maximum}, got "${value}"`);
  }
  return parsed;
}

export function parsePositiveNumberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0) {
    throw new UsageError(`${flag}: expected a positive number, got "${value}"`);
  }
  return parsed;
}
