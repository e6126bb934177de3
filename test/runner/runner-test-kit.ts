// Shared by the runner's integration tests: small plans, a local platform whose clusters are
// remembered, and a check that no node process of a run is left.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterSpec, Platform, StartedCluster } from '../../harness/platform/platform.js';
import { createLocalPlatform } from '../../harness/platforms/local/create-local-platform.js';
import { listProcesses, readEnvironmentVariable } from '../../harness/shared/process-table.js';
import { runMarkerVariable } from '../../harness/platforms/local/run-record.js';
import type { RunScenarioOptions } from '../../harness/runner/run-scenario.js';
import type { Plan, Step } from '../../harness/scenario/plan.js';

export function smallPlan(name: string, steps: Step[], overrides: Partial<Plan> = {}): Plan {
  return {
    name,
    description: `${name} (test plan)`,
    file: `test/runner/${name}.yaml`,
    seed: 1234,
    cluster: { replicas: 3, serverEnv: {}, restartDelayMs: 500 },
    workload: { clients: 3, keys: 3, opsPerKey: 40, infoPerKey: 2, ratePerSecond: 60, mix: { read: 0.4, write: 0.3, cas: 0.2, delete: 0.1 }, requestTimeoutMs: 1000 },
    steps,
    checks: { linearizable: true, noLostWrites: true, noPhantomValues: true, minOpsAroundFault: 3, healthyAfterMsMax: 20_000, checkerBudgetMs: 10_000 },
    needs: [],
    timeLimitMs: 60_000,
    ...overrides,
  };
}

export interface RecordingPlatform extends Platform {
  readonly specs: ClusterSpec[];
  readonly clusters: StartedCluster[];
}

export function recordingLocalPlatform(stateDir: string): RecordingPlatform {
  const local = createLocalPlatform({ stateDir });
  const specs: ClusterSpec[] = [];
  const clusters: StartedCluster[] = [];
  return {
    name: local.name,
    capabilities: local.capabilities,
    specs,
    clusters,
    async start(spec) {
      specs.push(spec);
      const cluster = await local.start(spec);
      clusters.push(cluster);
      return cluster;
    },
    sweep: () => local.sweep(),
  };
}

/** Processes still carrying the run's marker variable (the local platform sets it on every node). */
export function processesOfRun(runId: string): Promise<number[]> {
  return processesMarked((marker) => marker === runId);
}

/** Live processes whose marker variable passes `matches`. */
export async function processesMarked(matches: (marker: string) => boolean): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await listProcesses()) {
    if (entry.state === 'Z') continue;
    const marker = await readEnvironmentVariable(entry.pid, runMarkerVariable).catch(() => undefined);
    if (marker !== undefined && matches(marker)) found.push(entry.pid);
  }
  return found;
}

export async function makeRunDirs(): Promise<{ reportDir: string; stateDir: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'raft-chaos-runner-test-'));
  return { reportDir: join(root, 'reports', 'run-test'), stateDir: join(root, 'state'), remove: () => rm(root, { recursive: true, force: true }) };
}

/** Options for runScenario writing under `reportDir`, quiet and never interrupted unless overridden. */
export function runOptions(reportDir: string, name: string, overrides: Partial<RunScenarioOptions> = {}): RunScenarioOptions {
  return {
    reportDir,
    scenarioDir: join(reportDir, name),
    keep: false,
    progress: () => undefined,
    signal: new AbortController().signal,
    replayCommand: `npx harness run ${name} --seed 1234`,
    ...overrides,
  };
}
