// What the runner knows about a run besides the history, on the history's clock (ns since the
// run started). The runner fills it; `harness check` on a bare history has none.

export interface FaultWindowEvidence {
  /** kill / restart: each target's instance (pid, container id, pod uid) before and after; it must change. */
  instanceBefore?: Record<string, string>;
  instanceAfter?: Record<string, string>;
  /** pause: nodes that answered a request while they should have been frozen; must be empty. */
  answeredWhilePaused?: string[];
  /** Set only for faults expected to force an election (e.g. the leader killed or isolated): the term must grow. */
  termBefore?: number;
  termAfter?: number;
  /** Link faults: the directed links cut or shaped (`raft-0>raft-1`); must not be empty. */
  links?: string[];
  /** Membership faults: the nodes added and the voters the leader acknowledged the last addition with; they must be among them. */
  addedVoters?: string[];
  votersAfterAdd?: string[];
  /** Membership faults: the nodes removed and the voters acknowledged with the last removal; none may be among them. */
  removedVoters?: string[];
  votersAfterRemove?: string[];
}

export interface FaultWindow {
  /** The fault's id in the plan, e.g. `kill-leader-1`. */
  name: string;
  /** The fault kind, e.g. `kill`, `partition`. */
  fault?: string;
  startNs: number;
  /** When the fault was healed (or the run ended). */
  endNs: number;
  targets: string[];
  evidence?: FaultWindowEvidence;
}

export interface LeaderChange {
  timeNs: number;
  leader: string;
  term?: number;
}

export interface RunLimits {
  /** A fault's start to the next acknowledged write (and to a new leader) must be within this. */
  recoveryMsMax?: number;
  /** Operations that must complete ok before and after each fault, else its checks are unknown. */
  minOpsAroundFault?: number;
  /** Fraction of operations that must succeed during each fault window (0..1). */
  availabilityMin?: number;
}

/** Which history checks the scenario ran, and the budget of the linearizability search. */
export interface ChecksRun {
  linearizable: boolean;
  noLostWrites: boolean;
  noPhantomValues: boolean;
  budgetMs: number;
}

/**
 * Membership scenarios: the configuration the run should end with, and what every node reported
 * after the final heal (`status`: its latest configuration's voters and learners).
 */
export interface FinalConfiguration {
  /** The voters asked for: the nodes the platform runs after the final heal. */
  expectedVoters: string[];
  /** How many voters the scenario's cluster has (`cluster.replicas`): every fault restores it. */
  expectedSize: number;
  /** Per node: the voters and learners it reported, or null when it did not answer. */
  views: Record<string, { voters: string[]; learners: string[] } | null>;
}

export interface RunFacts {
  /** Absent in facts written before it was recorded: then every check runs. */
  checks?: ChecksRun;
  faultWindows: FaultWindow[];
  /** After the final heal, the runner reads every key from this time on; those reads are the final reads. */
  finalReadsStartNs?: number;
  leaderChanges?: LeaderChange[];
  limits?: RunLimits;
  /** Recorded when the plan changes membership: the final configuration check reads it. */
  finalConfiguration?: FinalConfiguration;
}
