// The fault timeline of a scenario (`timeline.jsonl`): one line when a fault starts and one when
// it is healed (or could not be), with times on the history's clock, targets and evidence. Kept
// in memory too, for the run facts the checkers use.

import { appendFileSync } from 'node:fs';
import type { FaultEvidence } from '../faults/fault.js';
import type { FaultKind } from '../scenario/plan.js';

export interface FaultRecord {
  id: string;
  fault: FaultKind;
  targets: string[];
  /** Scenario location of the step, or `nemesis@file:line:column`. */
  source: string;
  startNs: number;
  startEvidence: FaultEvidence;
  healNs?: number;
  healEvidence?: FaultEvidence;
  /** Set when the heal failed: the fault may still be in effect. */
  healError?: string;
}

export type TimelineLine =
  | { event: 'fault-start'; id: string; fault: FaultKind; targets: string[]; source: string; time: number; evidence: FaultEvidence }
  | { event: 'fault-heal'; id: string; fault: FaultKind; time: number; evidence?: FaultEvidence; error?: string }
  | { event: 'note'; time: number; message: string; details?: Record<string, unknown> };

export class FaultTimeline {
  readonly records: FaultRecord[] = [];
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  started(record: FaultRecord): void {
    this.records.push(record);
    this.#write({ event: 'fault-start', id: record.id, fault: record.fault, targets: record.targets, source: record.source, time: record.startNs, evidence: record.startEvidence });
  }

  healed(record: FaultRecord, timeNs: number, evidence: FaultEvidence): void {
    record.healNs = timeNs;
    record.healEvidence = evidence;
    this.#write({ event: 'fault-heal', id: record.id, fault: record.fault, time: timeNs, evidence });
  }

  healFailed(record: FaultRecord, timeNs: number, error: string): void {
    record.healNs = timeNs;
    record.healError = error;
    this.#write({ event: 'fault-heal', id: record.id, fault: record.fault, time: timeNs, error });
  }

  /** Run milestones (leader elected, healthy, final reads) for reading the timeline. */
  note(timeNs: number, message: string, details?: Record<string, unknown>): void {
    this.#write(details === undefined ? { event: 'note', time: timeNs, message } : { event: 'note', time: timeNs, message, details });
  }

  #write(line: TimelineLine): void {
    appendFileSync(this.#path, `${JSON.stringify(line)}\n`);
  }
}
