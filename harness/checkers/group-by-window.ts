// Helpers shared by the per-fault-window checkers.

import type { Operation } from '../history/operation.js';

export function isWrite(operation: Operation): boolean {
  return operation.f !== 'read';
}

export function milliseconds(durationNs: number): number {
  return Math.round(durationNs / 1e4) / 100;
}
