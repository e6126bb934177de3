// Helpers shared by the per-fault-window checkers.

import type { Operation } from '../history/operation.js';
import type { FaultWindow } from './run-facts.js';

export function isWrite(operation: Operation): boolean {
  return operation.f !== 'read';
}

/** Operations invoked inside the window [startNs, endNs]. */
export function invokedDuring(operations: readonly Operation[], window: FaultWindow): Operation[] {
  return operations.filter((operation) => operation.invokeNs >= window.startNs && operation.invokeNs <= window.endNs);
}

export function milliseconds(durationNs: number): number {
  return Math.round(durationNs / 1e4) / 100;
}
