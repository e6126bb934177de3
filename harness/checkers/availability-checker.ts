// Per fault window: the fraction of operations invoked during it that succeeded.

import type { Operation } from '../history/operation.js';
import { invokedDuring } from './group-by-window.js';
import type { RunFacts } from './run-facts.js';
import type { Verdict } from './verdict.js';

export function checkAvailability(operations: readonly Operation[], facts: RunFacts): Verdict {
  const minimum = facts.limits?.availabilityMin;
  const windows = facts.faultWindows.map((window) => {
    const during = invokedDuring(operations, window);
    const ok = during.filter((operation) => operation.outcome === 'ok').length;
    return { window: window.name, ok, total: during.length, availability: during.length === 0 ? null : Math.round((ok / during.length) * 1000) / 1000 };
  });
  const evidence = { minimum: minimum ?? null, windows };
  const low = windows.find((window) => minimum !== undefined && window.availability !== null && window.availability < minimum);
  if (low !== undefined) {
    return { check: 'availability', valid: false, summary: `fault ${low.window}: ${low.ok} of ${low.total} operations succeeded (${low.availability}), below the minimum ${minimum}`, evidence };
  }
  const parts = windows.map((window) => `${window.window} ${window.availability ?? 'n/a'}`).join(', ');
  return { check: 'availability', valid: true, summary: `availability during faults: ${parts}`, evidence };
}
