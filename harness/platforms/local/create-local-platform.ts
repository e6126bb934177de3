// The `local` platform: every node a child process on loopback, no root, no Docker.

import type { Capability, ClusterSpec, Platform, StartedCluster } from '../../platform/platform.js';
import type { Framing } from './directed-pipe.js';
import { LocalCluster } from './local-cluster.js';
import { defaultStateDir } from './run-record.js';
import { sweepLocalRuns } from './sweep-local-runs.js';

export interface LocalPlatformOptions {
  /** Where run records live, for sweep; default `${os.tmpdir()}/raft-chaos/local`. */
  stateDir?: string;
  /** How peer traffic is framed, for drop rates (see `Framing`); default `lines`. */
  framing?: Framing;
  /** Random numbers in [0, 1) for jitter and drops; default Math.random. */
  random?: () => number;
  /** stop(): how long after SIGTERM before SIGKILL; default 10 000. */
  stopTimeoutMs?: number;
  /** teardown(): how long after SIGTERM before SIGKILL; default 3 000. */
  teardownGraceMs?: number;
  /** How long a node may take to listen on its client port; default 30 000. */
  startTimeoutMs?: number;
  /** Consecutive crashes after which the supervisor stops restarting a node; default 5. */
  maxCrashRestarts?: number;
  /** sweep(): also remove runs whose harness process is still alive; default false. */
  sweepAll?: boolean;
}

export const localCapabilities: ReadonlySet<Capability> = new Set<Capability>([
  'kill',
  'stopStart',
  'pause',
  'cutLinks',
  'shapeLinks',
  'readLogs',
]);

/** A Platform whose start() gives the local cluster, with its extra accessors (logs, ports, crashes). */
export interface LocalPlatform extends Platform {
  start(spec: ClusterSpec): Promise<LocalCluster>;
}

export function createLocalPlatform(options: LocalPlatformOptions = {}): LocalPlatform {
  const stateDir = options.stateDir ?? defaultStateDir();
  const settings = {
    stateDir,
    framing: options.framing ?? 'lines',
    random: options.random ?? Math.random,
    stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
    teardownGraceMs: options.teardownGraceMs ?? 3_000,
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
    maxCrashRestarts: options.maxCrashRestarts ?? 5,
  };
  return {
    name: 'local',
    capabilities: localCapabilities,
    async start(spec: ClusterSpec): Promise<LocalCluster> {
      const cluster = new LocalCluster(spec, settings);
      try {
        await cluster.launch();
      } catch (error) {
        await cluster.teardown().catch((teardownError: Error) => spec.progress?.(`local: ${teardownError.message}`));
        throw error;
      }
      return cluster;
    },
    sweep: () => sweepLocalRuns({ stateDir, all: options.sweepAll ?? false }),
  };
}

export type { StartedCluster };
