// A system under test (SPEC section 5): how to start one node, how to talk to it, how to read its
// status, and what it can run where. The reference server is the system `raft`; a third-party
// store is one folder under harness/systems/ implementing this, plus one line in
// system-registry.ts.

import type { ClosableStatusProbe } from '../cluster-health/client-status-probe.js';
import type { Capability, CapabilityReasons, PlatformName } from '../platform/platform.js';
import type { WorkloadClient } from '../workload/workload-client.js';

/** Where one node of the cluster lives: its own host address and ports. */
export interface NodePlacement {
  /** The node's name, e.g. `raft-0`. */
  node: string;
  /** Its position in the cluster, from 0. */
  index: number;
  /** The address others reach it at, e.g. `127.0.0.1`, its own `127.x.y.z` where links are cut by address, or its name in a container network. */
  host: string;
  /** The address it binds: `host` on the local platform, `0.0.0.0` in a container. */
  listenHost: string;
  clientPort: number;
  peerPort: number;
}

/** Everything a system needs to start one node. */
export interface NodeLaunchContext {
  self: NodePlacement;
  /** Every node of the cluster, this one included, in the cluster's order; spares after the launch nodes. */
  nodes: readonly NodePlacement[];
  /**
   * The launch configuration's voters when `nodes` also lists spares (capability membership);
   * absent: every node of `nodes`.
   */
  members?: readonly string[];
  /** Started to be added to a running cluster (a spare, or a replaced node): waits for `add-member`. */
  joining?: boolean;
  /** A directory that survives restarts of this node. */
  dataDir: string;
  /**
   * `host:port` this node dials to reach `node`'s peer port: a per-link proxy on platforms that
   * cut links with proxies (`linkFaults: 'proxy'`), the node's own peer address otherwise.
   */
  peerAddress(node: string): string;
  /** Extra `RAFT_*` settings from the scenario (server settings, bug modes). */
  serverEnv: Readonly<Record<string, string>>;
}

/** The process to run for one node. */
export interface NodeLaunch {
  /** An executable, or a shell command line when `shell` is true. */
  file: string;
  arguments: string[];
  shell: boolean;
  /** Added to the harness's environment. */
  environment: Record<string, string>;
  /** Files to write before every start, by path relative to the data directory (config files). */
  files?: Record<string, string>;
}

export interface SystemClientOptions {
  /** How long one operation may take before it is given up as indefinite (`no_response`). */
  requestTimeoutMs: number;
}

/** Whether a system runs on a platform, and which capabilities it lacks there (with the reason). */
export type PlatformSupport =
  | { supported: true; lacks: CapabilityReasons }
  | { supported: false; reason: string };

/**
 * How link faults reach the system's peer traffic.
 * - proxy: the node dials the peer addresses it is given, so the platform can put a proxy on
 *   every directed link (cut, delay, drop).
 * - address: the node dials the peer addresses of the cluster's membership itself (etcd), so the
 *   local platform gives every node its own loopback address and cuts links with iptables (root).
 */
export type LinkFaultMode = 'proxy' | 'address';

export interface System {
  /** What `--system` takes, e.g. `etcd`, `etcd-serializable`. */
  readonly name: string;
  /** The system a variant belongs to (`etcd` for `etcd-serializable`); absent for the base system. */
  readonly variantOf?: string;
  /** One line for `harness systems`. */
  readonly description: string;
  /** The Debian package that installs it, for "apt-get install X"; absent when the project ships it. */
  readonly debianPackage?: string;
  /** The binary a node runs; absent when the project ships it. */
  readonly binaryPath?: string;
  readonly linkFaults: LinkFaultMode;
  /** Fault capabilities that need root with this system (e.g. cutLinks through iptables). */
  readonly rootCapabilities: readonly Capability[];
  /** What the system supports on a platform, on this machine now (binary present, root). */
  supportOn(platform: PlatformName): PlatformSupport;
  /** How to start one node. */
  launch(context: NodeLaunchContext): NodeLaunch;
  /** A client over every node, given each node's client `host:port`. */
  createClient(addresses: Readonly<Record<string, string>>, options: SystemClientOptions): WorkloadClient;
  /**
   * Asks one node at a time for its status, in the shape cluster-health reads (who it thinks
   * leads, the term, how far it has committed and applied). Addresses are read on every question.
   */
  createStatusProbe(addresses: () => Readonly<Record<string, string>>, statusTimeoutMs: number): ClosableStatusProbe;
}
