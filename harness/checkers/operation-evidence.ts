// An operation as structured evidence for verdicts (TAP YAML blocks, summary.json).

import type { Operation } from '../history/operation.js';

export function operationEvidence(operation: Operation): Record<string, unknown> {
  return {
    index: operation.index,
    process: operation.process,
    f: operation.f,
    value: operation.value,
    outcome: operation.outcome,
    invokeNs: operation.invokeNs,
    completeNs: operation.completeNs,
    ...(operation.error !== undefined ? { error: operation.error } : {}),
    ...(operation.node !== undefined ? { node: operation.node } : {}),
  };
}
