// A seeded generator of histories for tests and benchmarks: clients run operations against one
// simulated linearizable register per key, each taking effect at a random point inside its
// interval. `anomaly: 'stale-read'` then turns one read into a stale one.

import { mulberry32 } from '../../raft/core/mulberry32.js';
import type { HistoryEvent, OperationKind } from './history-event.js';

export interface GenerateOptions {
  seed: number;
  operations: number;
  keys: number;
  clients: number;
  mix?: { read: number; write: number; cas: number; delete: number };
  /** Fraction of operations that complete with `info` (each retires its process). */
  infoRate?: number;
  anomaly?: 'none' | 'stale-read';
  /** Latency range of one operation, and idle time between a client's operations. */
  latencyNs?: [number, number];
  thinkNs?: [number, number];
}

interface Simulated {
  process: number;
  f: OperationKind;
  key: string;
  invokeNs: number;
  completeNs: number;
  pointNs: number;
  outcome: 'ok' | 'fail' | 'info';
  /** write value, read result, cas [from, to]. */
  value: string | null | [string | null, string];
  error?: string;
}

export function generateHistory(options: GenerateOptions): HistoryEvent[] {
  const random = mulberry32(options.seed);
  const operations = scheduleOperations(options, random);
  applyInPointOrder(operations, options, random);
  if (options.anomaly === 'stale-read') injectStaleRead(operations, random);
  return toEvents(operations);
}

export function formatHistory(events: readonly HistoryEvent[]): string {
  return events.map((event) => JSON.stringify(event)).join('\n') + '\n';
}

/** Operation intervals per client, back to back with think time between. */
function scheduleOperations(options: GenerateOptions, random: () => number): Simulated[] {
  const mix = options.mix ?? { read: 0.5, write: 0.3, cas: 0.2, delete: 0 };
  const [latencyMin, latencyMax] = options.latencyNs ?? [200_000, 3_000_000];
  const [thinkMin, thinkMax] = options.thinkNs ?? [0, 500_000];
  const clock = Array.from({ length: options.clients }, () => 1_000_000 + Math.floor(random() * thinkMax));
  const operations: Simulated[] = [];
  for (let index = 0; index < options.operations; index++) {
    const client = index % options.clients;
    const invokeNs = clock[client]!;
    const completeNs = invokeNs + between(random, latencyMin, latencyMax);
    clock[client] = completeNs + between(random, thinkMin, thinkMax);
    const pick = random();
    const f: OperationKind = pick < mix.read ? 'read' : pick < mix.read + mix.write ? 'write' : pick < mix.read + mix.write + mix.cas ? 'cas' : 'delete';
    const key = `k${Math.floor(random() * options.keys)}`;
    operations.push({ process: client, f, key, invokeNs, completeNs, pointNs: between(random, invokeNs, completeNs), outcome: 'ok', value: null });
  }
  return operations;
}

function applyInPointOrder(operations: Simulated[], options: GenerateOptions, random: () => number): void {
  const state = new Map<string, string | null>();
  const recent = new Map<string, string[]>();
  let counter = 0;
  for (const operation of [...operations].sort((a, b) => a.pointNs - b.pointNs)) {
    const current = state.get(operation.key) ?? null;
    const indefinite = random() < (options.infoRate ?? 0);
    const takesEffect = !indefinite || random() < 0.5;
    if (operation.f === 'read') operation.value = current;
    if (operation.f === 'write') operation.value = `v${counter++}`;
    if (operation.f === 'cas') {
      const seen = recent.get(operation.key) ?? [];
      const from = random() < 0.7 || seen.length === 0 ? current : seen[Math.floor(random() * seen.length)]!;
      operation.value = [from, `v${counter++}`];
      if (from !== current && !indefinite) {
        operation.outcome = 'fail';
        operation.error = 'cas_mismatch';
      }
    }
    if (indefinite) {
      operation.outcome = 'info';
      operation.error = 'timeout';
    }
    if (operation.outcome === 'fail' || !takesEffect || operation.f === 'read') continue;
    if (operation.f === 'cas' && (operation.value as [string | null, string])[0] !== current) continue;
    const next = operation.f === 'delete' ? null : operation.f === 'cas' ? (operation.value as [string | null, string])[1] : (operation.value as string);
    state.set(operation.key, next);
    if (next !== null) recent.set(operation.key, [...(recent.get(operation.key) ?? []).slice(-4), next]);
  }
  renumberAfterInfo(operations, options.clients);
}

/** After an info a process never invokes again: its client continues under a fresh number. */
function renumberAfterInfo(operations: Simulated[], clients: number): void {
  const current = Array.from({ length: clients }, (_, client) => client);
  let next = clients;
  for (const operation of operations) {
    const client = operation.process;
    operation.process = current[client]!;
    if (operation.outcome === 'info') current[client] = next++;
  }
}

/** Makes one read in the second half return a value overwritten by an acknowledged write before it began. */
function injectStaleRead(operations: Simulated[], random: () => number): void {
  const start = Math.floor(operations.length / 2 + random() * (operations.length / 4));
  for (let offset = 0; offset < operations.length; offset++) {
    const read = operations[(start + offset) % operations.length]!;
    if (read.f !== 'read' || read.outcome !== 'ok') continue;
    const writes = operations.filter((operation) => operation.key === read.key && operation.outcome === 'ok' && operation.f !== 'read' && operation.completeNs < read.invokeNs);
    const newest = writes.reduce<Simulated | undefined>((latest, operation) => (latest === undefined || operation.completeNs > latest.completeNs ? operation : latest), undefined);
    if (newest === undefined) continue;
    const older = writes.filter((operation) => operation.f === 'write' && operation.completeNs < newest.invokeNs && operation.value !== read.value);
    if (older.length === 0) continue;
    read.value = older[older.length - 1]!.value;
    return;
  }
  throw new Error('generateHistory: no read could be made stale; use more operations');
}

function toEvents(operations: Simulated[]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const operation of operations) {
    events.push({ process: operation.process, type: 'invoke', f: operation.f, key: operation.key, value: operation.f === 'read' ? null : operation.value, time: operation.invokeNs });
    const completion: HistoryEvent = { process: operation.process, type: operation.outcome, f: operation.f, key: operation.key, value: operation.f === 'read' && operation.outcome !== 'ok' ? null : operation.value, time: operation.completeNs };
    if (operation.error !== undefined) completion.error = operation.error;
    events.push(completion);
  }
  return events.sort((a, b) => a.time - b.time || (a.type === 'invoke' ? 1 : 0) - (b.type === 'invoke' ? 1 : 0));
}

function between(random: () => number, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}
