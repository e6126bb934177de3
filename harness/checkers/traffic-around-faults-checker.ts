// Vacuity guard: a fault only tells something if operations completed both before and after it.

import type { Operation } from '../history/operation.js';
import type { RunFacts } from './run-facts.js';
import type { Verdict } from './verdict.js';

export function checkTrafficAroundFaults(operations: readonly Operation[], facts: RunFacts): Verdict {
  const minimum = facts.limits?.minOpsAroundFault ?? 1;
  const windows = [...facts.faultWindows].sort((a, b) => a.startNs - b.startNs);
  const counts = windows.map((window, index) => {
    const fromNs = index === 0 ? -Infinity : windows[index - 1]!.endNs;
    const untilNs = index === windows.length - 1 ? Infinity : windows[index + 1]!.startNs;
    const completedOk = (low: number, high: number) => operations.filter((operation) => operation.outcome === 'ok' && operation.completeNs! >= low && operation.completeNs! < high).length;
    return { window: window.name, before: completedOk(fromNs, window.startNs), after: completedOk(window.endNs, untilNs) };
  });
  const thin = counts.find((count) => count.before < minimum || count.after < minimum);
  const evidence = { minimum, windows: counts };
  if (thin !== undefined) {
    return { check: 'traffic-around-faults', valid: 'unknown', summary: `too little traffic around fault ${thin.window}: ${thin.before} operations completed before it and ${thin.after} after, fewer than ${minimum}; run the workload longer or faster`, evidence };
  }
  return { check: 'traffic-around-faults', valid: true, summary: `at least ${minimum} operations completed before and after each of ${counts.length} faults`, evidence };
}
