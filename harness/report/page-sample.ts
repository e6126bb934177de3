// Which operations the evidence page embeds. A short history: all of them. A long one (a soak
// run of millions of operations) would make a page of hundreds of megabytes, so the page holds a
// bounded sample: every operation that a failing verdict names, every operation of the anomalous
// keys within `windowMarginNs` of those, and an evenly spaced sample of the rest; per-key counts
// over all operations say what was left out.

import type { Verdict } from '../checkers/verdict.js';
import type { Operation } from '../history/operation.js';

export interface PageSampleLimits {
  /** Up to this many operations the page embeds every one. */
  operationsMax: number;
  /** Around each evidence operation, its key's operations this close are kept in full. */
  windowMarginNs: number;
}

export const pageSampleLimitsDefault: PageSampleLimits = { operationsMax: 50_000, windowMarginNs: 500e6 };

/** Evidence windows beyond this many are left out (a verdict names a few dozen operations). */
const windowsMax = 200;

interface EvidenceWindow {
  key: string;
  startNs: number;
  endNs: number;
}

/** Operation counts of one key by outcome, over the whole history. */
export interface KeyCounts {
  ok: number;
  fail: number;
  info: number;
}

export class PageSample {
  /** Keep one operation in `stride` outside the windows; 1: keep all. */
  readonly stride: number;
  readonly windows: readonly EvidenceWindow[];
  readonly #evidence: ReadonlySet<number>;
  readonly counts = new Map<string, KeyCounts>();
  kept = 0;

  constructor(verdicts: readonly Verdict[], operationCount: number, readonly limits: PageSampleLimits = pageSampleLimitsDefault) {
    this.stride = operationCount <= limits.operationsMax ? 1 : Math.ceil(operationCount / (limits.operationsMax / 2));
    const named = verdicts.filter((verdict) => verdict.valid === false).flatMap(evidenceOperations);
    this.#evidence = new Set(named.map((operation) => operation.index));
    this.windows = named.filter((operation) => operation.key !== undefined).slice(0, windowsMax).map((operation) => ({ key: operation.key!, startNs: operation.invokeNs - limits.windowMarginNs, endNs: (operation.completeNs ?? operation.invokeNs) + limits.windowMarginNs }));
  }

  get whole(): boolean {
    return this.stride === 1;
  }

  /** Counts the operation and says whether the page embeds it. */
  keeps(operation: Operation): boolean {
    const counts = this.counts.get(operation.key) ?? { ok: 0, fail: 0, info: 0 };
    counts[operation.outcome]++;
    this.counts.set(operation.key, counts);
    const kept = this.whole || operation.index % this.stride === 0 || this.#evidence.has(operation.index) || this.#inWindow(operation);
    if (kept) this.kept++;
    return kept;
  }

  #inWindow(operation: Operation): boolean {
    const endNs = operation.completeNs ?? Infinity;
    return this.windows.some((window) => window.key === operation.key && operation.invokeNs <= window.endNs && endNs >= window.startNs);
  }
}

interface NamedOperation {
  index: number;
  key: string | undefined;
  invokeNs: number;
  completeNs: number | null;
}

/**
 * The operations a verdict's evidence names (`operations`, and single ones such as `finalRead`),
 * with its key when the evidence gives one.
 */
function evidenceOperations(verdict: Verdict): NamedOperation[] {
  const evidence = verdict.evidence ?? {};
  const operations = Object.values(evidence).flatMap((value) => (Array.isArray(value) ? value : [value]));
  const key = typeof evidence['key'] === 'string' ? evidence['key'] : undefined;
  return operations.filter(isNamedOperation).map((operation) => ({ index: operation.index, key, invokeNs: operation.invokeNs, completeNs: operation.completeNs ?? null }));
}

function isNamedOperation(value: unknown): value is { index: number; invokeNs: number; completeNs?: number | null } {
  const operation = value as { index?: unknown; invokeNs?: unknown };
  return typeof operation === 'object' && operation !== null && typeof operation.index === 'number' && typeof operation.invokeNs === 'number';
}
