// A compiled scenario: what the runner interprets. Scenario file + seed -> Plan is pure
// (harness/scenario/compile-plan.ts); the runner does the I/O.

import type { Capability } from '../platform/platform.js';

/** Who a fault hits, resolved when the fault fires from the nodes' `status` and the run's rng. */
export type TargetSelector =
  | { kind: 'leader' }
  | { kind: 'followers' }
  | { kind: 'random-follower' }
  | { kind: 'minority' }
  | { kind: 'majority' }
  | { kind: 'random-node' }
  | { kind: 'all' }
  | { kind: 'node'; node: string };

/** One per fault file, from the registry (harness/faults/fault-registry.ts). */
export type { FaultKind } from '../faults/fault-registry.js';
import type { FaultKind } from '../faults/fault-registry.js';

export interface FaultStep {
  type: 'fault';
  /** Name used by a later `heal` step and in the timeline; defaults to `<fault>-<n>`. */
  id: string;
  fault: FaultKind;
  target: TargetSelector;
  /**
   * The fault's own parameters, as its file declares them (harness/faults/<fault>-fault.ts), e.g.
   * slow-links' `delayMs`; absent: the fault's defaults.
   */
  parameters?: Readonly<Record<string, number>>;
  /** Where in the scenario file this step was written, for messages: `file:line:column`. */
  source: string;
}

export type Step =
  | { type: 'wait'; durationMs: number; source: string }
  | FaultStep
  /** Heal one fault by id, or every active fault. */
  | { type: 'heal'; faultId: string | 'all'; source: string }
  /** Stop then start the targets one at a time, waiting for health between them. */
  | { type: 'restart'; target: TargetSelector; rolling: boolean; source: string }
  | { type: 'wait-for-leader'; timeoutMs: number; source: string }
  | { type: 'wait-for-healthy'; timeoutMs: number; source: string }
  /** A seeded random nemesis: `faults` fired one at a time for `durationMs`, each healed after holdMs. */
  | {
      type: 'nemesis';
      durationMs: number;
      faults: FaultKind[];
      /** `faults: supported`: narrowed to what the platform can inject before the run (narrow-to-platform.ts). */
      supportedOnly?: boolean;
      intervalMs: number;
      holdMs: number;
      source: string;
    };

export interface WorkloadPlan {
  /** Concurrent logical clients (each one operation in flight). */
  clients: number;
  /** Keys in use at a time; each key is retired after `opsPerKey` operations or `infoPerKey` indefinite results. */
  keys: number;
  opsPerKey: number;
  infoPerKey: number;
  /** Target operations per second over all clients (0: as fast as they go). */
  ratePerSecond: number;
  /** Fractions, summing to 1. */
  mix: { read: number; write: number; cas: number; delete: number };
  requestTimeoutMs: number;
}

export interface ChecksPlan {
  linearizable: boolean;
  noLostWrites: boolean;
  noPhantomValues: boolean;
  /** Fault to next acknowledged write must be within this, when set. */
  recoveryMsMax?: number;
  /** Operations that must complete before and after each fault, else the verdict is unknown. */
  minOpsAroundFault: number;
  /** Cluster must have one leader and every node caught up within this after the final heal. */
  healthyAfterMsMax: number;
  /** Time budget of each history check; past it the verdict is unknown. */
  checkerBudgetMs: number;
}

export interface ClusterPlan {
  replicas: number;
  /** Extra `RAFT_*` variables for every node. */
  serverEnv: Record<string, string>;
  restartDelayMs: number;
}

export interface Plan {
  name: string;
  description: string;
  /** The scenario file it came from. */
  file: string;
  seed: number;
  cluster: ClusterPlan;
  workload: WorkloadPlan;
  steps: Step[];
  checks: ChecksPlan;
  /** Platform capabilities the steps need; checked before anything starts. */
  needs: Capability[];
  /** The whole run is aborted past this. */
  timeLimitMs: number;
}
