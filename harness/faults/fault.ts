// A fault (Jepsen's nemesis): what it needs from the platform, and a `start` that returns an
// active fault you can `heal`. Evidence recorded at start and at heal feeds the fault timeline
// and the vacuity guards (did the fault actually take effect?).

import type { StatusProbe, StatusSnapshot } from '../cluster-health/status-snapshot.js';
import type { Capability, StartedCluster } from '../platform/platform.js';
import type { FaultKind, FaultStep } from '../scenario/plan.js';
import type { LinkController } from './link-controller.js';

export type FaultEvidence = Record<string, unknown>;

export interface FaultContext {
  cluster: StartedCluster;
  /** The step that fired this fault (its id and link parameters). */
  step: FaultStep;
  /** Shared by every active link fault, so one fault's heal keeps the others' cuts. */
  links: LinkController;
  probe: StatusProbe;
  /** Every node's status at the moment the fault fires (the term before, the leader). */
  snapshotBefore: StatusSnapshot;
  /** How long the platform's supervisor waits before restarting a killed node. */
  restartDelayMs: number;
  /** Upper bound for a heal to take effect (a killed node coming back, a stopped one starting). */
  healTimeoutMs: number;
  progress: (line: string) => void;
}

export interface ActiveFault {
  readonly kind: FaultKind;
  readonly targets: readonly string[];
  /** What was observed when the fault was applied. */
  readonly evidence: FaultEvidence;
  /** Reverts the fault; idempotent. Resolves with what was observed; rejects when it cannot revert. */
  heal(): Promise<FaultEvidence>;
}

export interface Fault {
  readonly kind: FaultKind;
  readonly needs: readonly Capability[];
  start(context: FaultContext, targets: readonly string[]): Promise<ActiveFault>;
}

/** The highest term any node reported in a snapshot. */
export function highestTerm(snapshot: StatusSnapshot): number {
  return Math.max(0, ...snapshot.answers.map((answer) => (answer.answered ? answer.status.term : 0)));
}

/** Makes a heal function run once; later calls get the first call's outcome. */
export function once(heal: () => Promise<FaultEvidence>): () => Promise<FaultEvidence> {
  let outcome: Promise<FaultEvidence> | undefined;
  return () => (outcome ??= heal());
}
