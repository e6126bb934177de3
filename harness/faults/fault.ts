// A fault (Jepsen's nemesis): its kind, what it needs from the platform, how a scenario names
// it (default target, parameters and their schema), whether the random nemesis may pick it, and
// a `start` that returns an active fault you can `heal`. Each fault's own file declares all of
// it; the registry (fault-registry.ts) lists the faults, and the schema, the plan, the capability
// check, the nemesis and the docs derive from it. Evidence recorded at start and at heal feeds the fault timeline
// and the vacuity guards (did the fault actually take effect?).

import type { StatusProbe, StatusSnapshot } from '../cluster-health/status-snapshot.js';
import type { Capability, StartedCluster } from '../platform/platform.js';
import type { FaultKind, FaultStep, TargetSelector } from '../scenario/plan.js';
import type { RawStep } from '../scenario/to-scenario.js';
import type { TargetName } from '../scenario/scenario-schema.js';
import type { SchemaNode } from '../scenario/schema-node.js';
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
  /** Nodes the cluster may grow into (ClusterSpec.spareNodes); a spare runs once `grow` launched it. */
  spareNodes: readonly string[];
  /** Upper bound for a heal to take effect (a killed node coming back, a stopped one starting). */
  healTimeoutMs: number;
  progress: (line: string) => void;
}

export interface ActiveFault<Kind extends string = FaultKind> {
  readonly kind: Kind;
  readonly targets: readonly string[];
  /** What was observed when the fault was applied. */
  readonly evidence: FaultEvidence;
  /** Reverts the fault; idempotent. Resolves with what was observed; rejects when it cannot revert. */
  heal(): Promise<FaultEvidence>;
}

/** A fault step's own fields: their schema (with defaults) and how a validated step gives them to the plan. */
export interface FaultParameters {
  readonly schema: Readonly<Record<string, SchemaNode>>;
  toStep(step: RawStep): NonNullable<FaultStep['parameters']>;
}

export interface Fault<Kind extends string = FaultKind> {
  readonly kind: Kind;
  readonly needs: readonly Capability[];
  /** Who it hits when its step names no target. */
  readonly defaultTarget: TargetName;
  /** What the random nemesis aims it at (one, chosen by the run's rng). */
  readonly nemesisTargets: readonly TargetSelector[];
  /** Whether a nemesis that lists no faults picks this one. */
  readonly nemesisByDefault: boolean;
  readonly parameters?: FaultParameters;
  start(context: FaultContext, targets: readonly string[]): Promise<ActiveFault<Kind>>;
}

/** The nemesis's usual aim: the leader, or any node. */
export const leaderOrRandomNode: readonly TargetSelector[] = [{ kind: 'leader' }, { kind: 'random-node' }];

/** The highest term any node reported in a snapshot. */
export function highestTerm(snapshot: StatusSnapshot): number {
  return Math.max(0, ...snapshot.answers.map((answer) => (answer.answered ? answer.status.term : 0)));
}

/** Makes a heal function run once; later calls get the first call's outcome. */
export function once(heal: () => Promise<FaultEvidence>): () => Promise<FaultEvidence> {
  let outcome: Promise<FaultEvidence> | undefined;
  return () => (outcome ??= heal());
}
