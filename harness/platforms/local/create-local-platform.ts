// The `local` platform: every node a child process on loopback, no root, no Docker. As root with
// loop devices it also offers powerLoss (data directories on loop-mounted ext4 images).

import type { Capability, ClusterSpec, Platform, StartedCluster } from '../../platform/platform.js';
import type { Framing } from './directed-pipe.js';
import { LocalCluster } from './local-cluster.js';
import { loopDisksUnavailableReason } from './loop-disk-support.js';
import { defaultStateDir } from './run-record.js';
import { sweepLocalRuns } from './sweep-local-runs.js';

export interface LocalPlatformOptions {
  /** Where run records live, for sweep; default this user's own directory (run-record.ts defaultStateDir). */
  stateDir?: string;
  /** How peer traffic is framed, for drop rates (see `Framing`); default `lines`. */
  framing?: Framing;
  /** Random numbers in [0, 1) for jitter and drops on every link; default: each link's own, from the spec's seed (linkRandom). */
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
  /** Why loop disks (powerLoss) are unavailable, undefined when they work; default: probe this machine. */
  loopDisksUnavailable?: () => string | undefined;
}

export const localCapabilities: ReadonlySet<Capability> = new Set<Capability>([
  'kill',
  'stopStart',
  'pause',
  'cutLinks',
  'shapeLinks',
  'readLogs',
  'membership',
]);

/** localCapabilities, plus powerLoss where loop disks work; and why powerLoss is missing where not. */
function capabilitiesHere(unavailable: string | undefined): Pick<Platform, 'capabilities' | 'unavailableReasons'> {
  if (unavailable !== undefined) return { capabilities: localCapabilities, unavailableReasons: { powerLoss: unavailable } };
  return { capabilities: new Set<Capability>([...localCapabilities, 'powerLoss']), unavailableReasons: {} };
}

/** A Platform whose start() gives the local cluster, with its extra accessors (logs, ports, crashes). */
export interface LocalPlatform extends Platform {
  start(spec: ClusterSpec): Promise<LocalCluster>;
}

export function createLocalPlatform(options: LocalPlatformOptions = {}): LocalPlatform {
  let stateDir = options.stateDir;
  const settings = {
    /** Resolved at the first start, so a platform that only sweeps or lists never creates it. */
    get stateDir(): string {
      stateDir ??= defaultStateDir();
      return stateDir;
    },
    framing: options.framing ?? 'lines',
    random: options.random,
    stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
    teardownGraceMs: options.teardownGraceMs ?? 3_000,
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
    maxCrashRestarts: options.maxCrashRestarts ?? 5,
  };
  return {
    name: 'local',
    ...capabilitiesHere((options.loopDisksUnavailable ?? loopDisksUnavailableReason)()),
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
    sweep: () => sweepLocalRuns({ ...(options.stateDir !== undefined ? { stateDir: options.stateDir } : {}), all: options.sweepAll ?? false }),
  };
}

export type { StartedCluster };
