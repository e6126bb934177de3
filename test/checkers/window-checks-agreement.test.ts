// The per-fault-window checks count operations against the windows' boundaries with a binary
// search (times-around-points.ts). Here they are compared with the plain definition, a pass over
// every window for every operation, on seeded random windows (overlapping, nested, touching) and
// operations, many of them exactly on a boundary.

import t from 'tap';
import { checkAvailability } from '../../harness/checkers/availability-checker.js';
import { checkRecoveryTime } from '../../harness/checkers/recovery-time-checker.js';
import type { FaultWindow, RunFacts } from '../../harness/checkers/run-facts.js';
import { checkTrafficAroundFaults } from '../../harness/checkers/traffic-around-faults-checker.js';
import type { Operation } from '../../harness/history/operation.js';
import { mulberry32 } from '../../raft/core/mulberry32.js';

function randomRun(seed: number): { facts: RunFacts; operations: Operation[] } {
  const random = mulberry32(seed);
  const tick = () => Math.floor(random() * 100) * 10;
  const faultWindows: FaultWindow[] = Array.from({ length: 1 + Math.floor(random() * 12) }, (_, index) => {
    const startNs = tick();
    return { name: `w${index}`, startNs, endNs: startNs + Math.floor(random() * 30) * 10, targets: [] };
  });
  const boundaries = faultWindows.flatMap((window) => [window.startNs, window.endNs]);
  const time = () => (random() < 0.3 ? boundaries[Math.floor(random() * boundaries.length)]! : Math.floor(random() * 1100));
  const operations = Array.from({ length: 300 }, (_, index): Operation => {
    const invokeNs = time();
    const outcome = random() < 0.7 ? 'ok' : random() < 0.5 ? 'fail' : 'info';
    const completeNs = outcome === 'info' ? null : Math.max(invokeNs, time());
    return { index, process: index % 7, f: random() < 0.5 ? 'read' : 'write', key: 'k', value: 'v', outcome, invokeNs, completeNs };
  });
  return { facts: { faultWindows, limits: { minOpsAroundFault: 1 } }, operations };
}

function trafficByDefinition(facts: RunFacts, operations: Operation[]) {
  const windows = [...facts.faultWindows].sort((a, b) => a.startNs - b.startNs);
  return windows.map((window) => {
    const fromNs = Math.max(-Infinity, ...windows.filter((other) => other.endNs <= window.startNs).map((other) => other.endNs));
    const untilNs = Math.min(Infinity, ...windows.filter((other) => other.startNs >= window.endNs).map((other) => other.startNs));
    const ok = operations.filter((operation) => operation.outcome === 'ok').map((operation) => operation.completeNs!);
    return { window: window.name, before: ok.filter((time) => time >= fromNs && time < window.startNs).length, after: ok.filter((time) => time >= window.endNs && time < untilNs).length };
  });
}

function availabilityByDefinition(facts: RunFacts, operations: Operation[]) {
  return facts.faultWindows.map((window) => {
    const during = operations.filter((operation) => operation.invokeNs >= window.startNs && operation.invokeNs <= window.endNs);
    return { window: window.name, ok: during.filter((operation) => operation.outcome === 'ok').length, total: during.length };
  });
}

function firstAcknowledgedByDefinition(facts: RunFacts, operations: Operation[]) {
  return facts.faultWindows.map((window) => {
    const acknowledged = operations.filter((operation) => operation.f !== 'read' && operation.outcome === 'ok' && operation.invokeNs >= window.startNs);
    return acknowledged.length === 0 ? null : Math.min(...acknowledged.map((operation) => operation.completeNs!));
  });
}

t.test('window checks count exactly what a pass over every window counts', async (t) => {
  for (let seed = 1; seed <= 200; seed++) {
    const { facts, operations } = randomRun(seed);
    const traffic = checkTrafficAroundFaults(operations, facts).evidence as { windows: unknown[] };
    t.same(traffic.windows, trafficByDefinition(facts, operations), `traffic-around-faults, seed ${seed}`);
    const availability = checkAvailability(operations, facts).evidence as { windows: { window: string; ok: number; total: number }[] };
    t.same(availability.windows.map(({ window, ok, total }) => ({ window, ok, total })), availabilityByDefinition(facts, operations), `availability, seed ${seed}`);
    const recovery = checkRecoveryTime(operations, facts).evidence as { windows: { writeRecoveryMs: number | null }[] };
    const expected = firstAcknowledgedByDefinition(facts, operations).map((completeNs, index) => (completeNs === null ? null : Math.round((completeNs - facts.faultWindows[index]!.startNs) / 1e4) / 100));
    t.same(recovery.windows.map((window) => window.writeRecoveryMs), expected, `recovery-time, seed ${seed}`);
  }
});
