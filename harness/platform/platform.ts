// The one interface the runner talks to. `local`, `docker` and `kind` implement it; a scenario
// asking for a fault whose capability the platform lacks is rejected before anything starts.

import type { System } from '../systems/system.js';

export type PlatformName = 'local' | 'docker' | 'kind';

/**
 * What a platform can do to a cluster. A fault declares the capabilities it needs.
 * - kill: SIGKILL a node's process (or delete its pod with grace 0); the supervisor restarts it.
 * - stopStart: stop a node (or the machine hosting it) and start it again later.
 * - pause: freeze a node (SIGSTOP, docker pause) and resume it.
 * - cutLinks: drop all traffic on chosen directed peer links, and restore it.
 * - shapeLinks: delay and/or drop a fraction of the traffic on chosen peer links.
 * - readLogs: fetch every node's log after the run.
 * - powerLoss: cut a node's power: SIGKILL it and lose every write its file system has not yet
 *   handed to the disk (what was not fsynced), as a machine crash does; the supervisor restarts
 *   it on what the disk kept.
 * - membership: launch a node that is not a member yet (empty data directory, RAFT_JOIN=true: it
 *   waits to be added) and remove a node for good (process or container and data). The faults
 *   change the configuration itself through the client (`add-member`, `remove-member`).
 */
export type Capability = 'kill' | 'stopStart' | 'pause' | 'cutLinks' | 'shapeLinks' | 'readLogs' | 'powerLoss' | 'membership';

export interface ClusterSpec {
  /** Unique per run; goes into labels, names and the reports directory. */
  runId: string;
  /** Node names, e.g. ['raft-0', 'raft-1', 'raft-2']: the launch configuration, all started. */
  nodes: string[];
  /**
   * Names beyond `nodes` the cluster may grow into (capability membership), e.g. ['raft-3',
   * 'raft-4']: not started, but every node's RAFT_PEERS gives each an address (through the
   * platform's per-link proxies where it has them) and RAFT_MEMBERS lists only `nodes`.
   * Default: none.
   */
  spareNodes?: string[];
  /** Extra `RAFT_*` variables for every node (server settings, bug modes). */
  serverEnv: Record<string, string>;
  /**
   * A command line that starts any server speaking SPEC sections 1 and 2 (local platform);
   * undefined: the reference server.
   */
  serverCommand?: string;
  /**
   * The system under test (harness/systems): how to launch its nodes (local platform). Undefined:
   * the reference server, or `serverCommand`.
   */
  system?: System;
  /** Where node logs and data directories go for this scenario. */
  workDir: string;
  /** Delay before the supervisor restarts a killed node, in milliseconds. */
  restartDelayMs: number;
  /**
   * The run's seed: link jitter and drops the platform draws itself come from its `links`
   * sub-seed, so a seed replays a slow or lossy run. Undefined: unseeded (Math.random).
   */
  seed?: number;
  /**
   * Give every node a data directory that `powerLoss` can crash (the local platform: an ext4
   * image on a loop device). Set by the runner only when the plan uses power-loss; default false.
   */
  powerLossDisks?: boolean;
  /** Called with one-line progress messages during long steps. */
  progress?: (message: string) => void;
}

/** A directed peer link: traffic sent by `from` to `to`. */
export interface Link {
  from: string;
  to: string;
}

export interface LinkShape {
  /** Added one-way delay in milliseconds. */
  delayMs: number;
  /** Random extra delay in [0, jitterMs]. */
  jitterMs: number;
  /** Fraction of messages (or connections) dropped, 0..1. */
  dropRate: number;
}

/** Evidence that a fault took effect, for the vacuity guards. */
export interface NodeIdentity {
  node: string;
  /** Process id, container id or pod uid: changes when the node is replaced. */
  instance: string;
}

/** What a power cut did to one node's data directory: each file's size in bytes, by relative path. */
export interface PowerLossReport {
  node: string;
  /** As the node left them when it was killed (the page cache included). */
  filesBefore: Record<string, number>;
  /** As the disk kept them, after the file system replayed its journal. */
  filesAfter: Record<string, number>;
}

/** For capabilities a platform could have but lacks here: why, and what would provide them. */
export type CapabilityReasons = Partial<Readonly<Record<Capability, string>>>;

/** A cluster left running after the run (`--keep`): how to reach it and how to remove it. */
export interface KeptCluster {
  nodes: { node: string; clientAddress: string; detail?: string }[];
  /** Where the nodes' logs (and data) stay, when the platform keeps them in a directory. */
  workDir?: string;
  /** The command that removes it. */
  removeCommand: string;
}

export interface Platform {
  readonly name: PlatformName;
  readonly capabilities: ReadonlySet<Capability>;
  /** For capabilities this platform could have but lacks here: why, and what would provide them. */
  readonly unavailableReasons?: CapabilityReasons;
  /** Start every node and return once each has been launched (not necessarily elected). */
  start(spec: ClusterSpec): Promise<StartedCluster>;
  /** Remove everything an earlier, interrupted run of this platform left behind. */
  sweep(): Promise<string[]>;
}

export interface StartedCluster {
  /**
   * The nodes the platform runs now (running, stopped or paused), in launch order: the launch
   * nodes, plus those `launchJoining` started, minus those `removeNode` removed.
   */
  readonly nodes: readonly string[];
  /** `host:port` where the harness reaches a node's client port. */
  clientAddress(node: string): string;
  /**
   * Where the other nodes reach `node`'s peer port, as `add-member` records it in the
   * configuration (`members` reports it). Absent: the client address stands in.
   */
  peerAddress?(node: string): string;
  /** Which process/container/pod currently is the node (changes when it is replaced). */
  identity(node: string): Promise<NodeIdentity>;

  kill(node: string): Promise<void>;
  stop(node: string): Promise<void>;
  start(node: string): Promise<void>;
  pause(node: string): Promise<void>;
  resume(node: string): Promise<void>;
  /** Cut the given directed links (replacing any cut set before). */
  cutLinks(links: Link[]): Promise<void>;
  /** Shape the given directed links (replacing any shaping set before). */
  shapeLinks(links: Link[], shape: LinkShape): Promise<void>;
  /**
   * Cut the node's power (capability powerLoss): SIGKILL, drop what its disk did not hold yet;
   * the supervisor restarts it after restartDelayMs. Absent where the platform cannot.
   */
  powerLoss?(node: string): Promise<PowerLossReport>;
  /**
   * Capability membership: start `node` (a spare, or a node `removeNode` removed) with an empty
   * data directory and RAFT_JOIN=true, and return once it listens; it waits for `add-member`.
   * Its RAFT_MEMBERS names the nodes running now, not the launch nodes: a node in no configuration
   * keeps peer links only to RAFT_MEMBERS, and the leader adding it may have joined after the launch.
   * It joins `nodes`, and every fault and `collectLogs` treat it as any other node.
   */
  launchJoining?(node: string): Promise<void>;
  /**
   * Capability membership: stop `node` for good (no restart) and delete its data; it leaves
   * `nodes`, but its log so far is still collected. Call it after `remove-member` committed.
   */
  removeNode?(node: string): Promise<void>;
  /** Restore every link to full health; resume paused nodes; start stopped nodes. */
  healAll(): Promise<void>;

  /** Copy every node's log into `dir`, one `<node>.log` each; returns the paths written. */
  collectLogs(dir: string): Promise<string[]>;
  /** Stop and remove everything this cluster started. Idempotent. */
  teardown(): Promise<void>;
  /**
   * `--keep`: leave the cluster running and usable after the harness exits (nothing of it may
   * live in the harness process any more), recorded so that `harness clean` finds it.
   * Absent: the platform's nodes outlive the harness as they are.
   */
  keep?(): Promise<KeptCluster>;
}
