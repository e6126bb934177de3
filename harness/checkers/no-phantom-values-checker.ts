// Every value a read returned was written to that key by some write or cas that did not
// definitely fail.

import type { Operation } from '../history/operation.js';
import { operationEvidence } from './operation-evidence.js';
import { formatSeconds } from './format-seconds.js';
import type { Verdict } from './verdict.js';

export function checkNoPhantomValues(operations: readonly Operation[]): Verdict {
  const written = new Map<string, Set<string>>();
  const failedOnly = new Map<string, Operation>();
  for (const operation of operations) {
    const value = operation.f === 'write' ? (operation.value as string) : operation.f === 'cas' ? (operation.value as [string | null, string])[1] : null;
    if (value === null) continue;
    if (operation.outcome === 'fail') failedOnly.set(`${operation.key}\u0000${value}`, operation);
    else addTo(written, operation.key, value);
  }
  const phantoms = operations.filter((operation) => operation.f === 'read' && operation.outcome === 'ok' && operation.value !== null && !written.get(operation.key)?.has(operation.value as string));
  if (phantoms.length === 0) return { check: 'no-phantom-values', valid: true, summary: 'every value read was written' };
  const first = phantoms[0]!;
  const failed = failedOnly.get(`${first.key}\u0000${first.value as string}`);
  const because = failed === undefined ? 'a value no operation wrote' : `a value only a failed ${failed.f} by process ${failed.process} tried to write`;
  return {
    check: 'no-phantom-values',
    valid: false,
    summary: `phantom value on ${first.key}: process ${first.process} read ${first.value as string} at ${formatSeconds(first.invokeNs)}, ${because}`,
    evidence: { key: first.key, value: first.value, operations: [operationEvidence(first), ...(failed ? [operationEvidence(failed)] : [])], phantomReads: phantoms.length },
  };
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(value);
}
