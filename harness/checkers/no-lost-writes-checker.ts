// No acknowledged write is lost: every key's final read (after the heal) returns the last
// acknowledged write, or a value whose write could have taken effect after it (a later or
// concurrent write, or an indefinite one).

import { groupByKey } from '../history/group-by-key.js';
import type { Operation } from '../history/operation.js';
import { formatSeconds } from './format-seconds.js';
import { operationEvidence } from './operation-evidence.js';
import type { RunFacts } from './run-facts.js';
import type { Verdict } from './verdict.js';

export function checkNoLostWrites(operations: readonly Operation[], facts: RunFacts): Verdict {
  const check = new NoLostWritesCheck(facts);
  for (const [key, keyOperations] of groupByKey(operations)) check.addKey(key, keyOperations);
  return check.finish();
}

/**
 * The check one key at a time (its operations in order of invocation), keys in any order, for
 * streamed histories: of several keys with a lost write, the one whose first operation came first
 * is reported.
 */
export class NoLostWritesCheck {
  #keys = 0;
  #keysWithFinalRead = 0;
  #lost: Verdict | undefined;
  /** The first operation index of the key of #lost. */
  #lostKeyFirst = Infinity;

  constructor(private readonly facts: RunFacts) {}

  addKey(key: string, keyOperations: readonly Operation[]): void {
    this.#keys++;
    const startNs = this.facts.finalReadsStartNs;
    const firstIndex = keyOperations[0]?.index ?? Infinity;
    if (startNs === undefined || firstIndex > this.#lostKeyFirst) return;
    const finalRead = keyOperations.filter((operation) => operation.f === 'read' && operation.outcome === 'ok' && operation.invokeNs >= startNs).at(-1);
    if (finalRead === undefined) return;
    this.#keysWithFinalRead++;
    const lost = findLostWrite(keyOperations, finalRead);
    if (lost === null) return;
    this.#lost = lostVerdict(key, finalRead, lost);
    this.#lostKeyFirst = firstIndex;
  }

  finish(): Verdict {
    const startNs = this.facts.finalReadsStartNs;
    if (startNs === undefined) return { check: 'no-lost-writes', valid: 'unknown', summary: 'the run facts give no final-reads time, so there are no final reads to judge' };
    if (this.#lost !== undefined) return this.#lost;
    if (this.#keysWithFinalRead === 0) return { check: 'no-lost-writes', valid: 'unknown', summary: `no key was read after the final-reads time ${formatSeconds(startNs)}` };
    return { check: 'no-lost-writes', valid: true, summary: `${this.#keysWithFinalRead} keys' final reads return their last acknowledged writes`, evidence: { keysWithFinalRead: this.#keysWithFinalRead, keys: this.#keys } };
  }
}

interface LostWrite {
  /** The acknowledged write the final read should have seen (or something after it). */
  lost: Operation;
  /** The writes of the value read, all of which completed before `lost` began (none: the initial absent value). */
  sources: Operation[];
}

/** A lost write when every possible source of the value read was superseded by an acknowledged write. */
function findLostWrite(keyOperations: readonly Operation[], finalRead: Operation): LostWrite | null {
  const acknowledged = keyOperations.filter((operation) => operation.f !== 'read' && operation.outcome === 'ok' && operation.completeNs! < finalRead.invokeNs);
  if (acknowledged.length === 0) return null;
  const sources = keyOperations.filter((operation) => operation.f !== 'read' && operation.outcome !== 'fail' && writtenValue(operation) === finalRead.value);
  if (finalRead.value !== null && sources.length === 0) return null; // a phantom: no-phantom-values reports it
  // The latest any source can have taken effect (an indefinite one: any time; the initial state: never after anything).
  let bestSourceEnd = -Infinity;
  for (const source of sources) bestSourceEnd = Math.max(bestSourceEnd, source.outcome === 'ok' ? source.completeNs! : Infinity);
  const superseding = acknowledged.filter((operation) => writtenValue(operation) !== finalRead.value && bestSourceEnd < operation.invokeNs);
  if (superseding.length === 0) return null;
  const lost = superseding.reduce((latest, operation) => (operation.completeNs! > latest.completeNs! ? operation : latest));
  return { lost, sources };
}

function lostVerdict(key: string, finalRead: Operation, found: LostWrite): Verdict {
  const { lost, sources } = found;
  const read = finalRead.value === null ? 'absent' : (finalRead.value as string);
  return {
    check: 'no-lost-writes',
    valid: false,
    summary: `lost write on ${key}: final read at ${formatSeconds(finalRead.invokeNs)} returned ${read}, but ${describe(lost)} was acknowledged at ${formatSeconds(lost.completeNs)}, after ${sources.length === 0 ? 'the initial state' : `the write of ${read} completed`}`,
    evidence: { key, finalRead: operationEvidence(finalRead), lostWrite: operationEvidence(lost), sources: sources.slice(0, 5).map(operationEvidence) },
  };
}

function describe(operation: Operation): string {
  if (operation.f === 'write') return `write ${operation.value as string}`;
  if (operation.f === 'delete') return 'delete';
  const [from, to] = operation.value as [string | null, string];
  return `cas ${from ?? 'absent'} to ${to}`;
}

function writtenValue(operation: Operation): string | null {
  if (operation.f === 'cas') return (operation.value as [string | null, string])[1];
  if (operation.f === 'delete') return null;
  return operation.value as string | null;
}
