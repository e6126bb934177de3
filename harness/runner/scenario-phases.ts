// The phases of a scenario run, in order: start the cluster, run the workload under the steps,
// heal and wait for recovery, stop the traffic and read every key written.

import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { waitForHealthy } from '../cluster-health/wait-for-healthy.js';
import { waitForLeader } from '../cluster-health/wait-for-leader.js';
import type { ClusterSpec } from '../platform/platform.js';
import { finalReads } from '../workload/final-reads.js';
import { startWorkload } from '../workload/start-workload.js';
import { FaultDriver } from './fault-driver.js';
import { interpretSteps } from './interpret-steps.js';
import { watchLeader } from './leader-watcher.js';
import type { RunState } from './run-state.js';
import { spareNodesFor } from './spare-nodes-for.js';
import { probeFinalConfiguration } from './probe-final-configuration.js';

/** Extra time a heal may take beyond the supervisor's restart delay. */
const healMarginMs = 30_000;
/** Status questions during waits and faults get this long per node. */
const statusTimeoutMs = 1000;
/** The first leader may take this long at least (processes start, elections settle). */
const firstLeaderMsMin = 30_000;

export async function startCluster(state: RunState): Promise<boolean> {
  const { plan, options } = state;
  const nodes = Array.from({ length: plan.cluster.replicas }, (_, index) => `raft-${index}`);
  const spareNodes = spareNodesFor(plan);
  const spec: ClusterSpec = {
    runId: clusterRunId(options.reportDir, plan.name),
    nodes,
    ...(spareNodes.length > 0 ? { spareNodes } : {}),
    serverEnv: plan.cluster.serverEnv,
    workDir: state.workDir,
    restartDelayMs: plan.cluster.restartDelayMs,
    seed: plan.seed,
    powerLossDisks: plan.needs.includes('powerLoss'),
    progress: options.progress,
    ...(options.serverCommand !== undefined ? { serverCommand: options.serverCommand } : {}),
    system: state.system,
  };
  options.progress(`starting ${nodes.length} nodes of ${state.system.name} on ${state.platform.name}`);
  try {
    state.cluster = await state.platform.start(spec);
  } catch (error) {
    const message = await keepStartFailureLogs(state, (error as Error).message);
    state.outcome.platformError(
      `the ${state.platform.name} platform could not start the cluster of ${plan.name}: ${message}`,
      `fix the cause above (\`npx harness clean --platform ${state.platform.name}\` removes leftovers), then replay with: ${options.replayCommand}`,
    );
    return false;
  }
  state.timeline.note(state.clock.nowNs(), 'cluster started', { nodes });
  return true;
}

/**
 * The node logs of a failed start live in the work directory, which teardown deletes: copy them
 * into the report (as for a completed scenario) and point the message at the copies.
 */
async function keepStartFailureLogs(state: RunState, message: string): Promise<string> {
  const source = join(state.workDir, 'logs');
  const target = join(state.options.scenarioDir, 'logs');
  const names = (await readdir(source).catch(() => [] as string[])).filter((name) => name.endsWith('.log'));
  if (names.length === 0) return message;
  await mkdir(target, { recursive: true });
  for (const name of names) {
    await copyFile(join(source, name), join(target, name));
    state.outcome.logPaths.push(join(target, name));
  }
  return message.split(`${source}/`).join(`${target}/`);
}

export async function runFaultPhase(state: RunState): Promise<void> {
  const cluster = state.cluster!;
  const { plan, options } = state;
  const addresses = () => clientAddresses(state);
  state.probe = state.system.createStatusProbe(addresses, statusTimeoutMs);
  const probe = state.probe.probe;
  const leader = await waitForLeader({ nodes: cluster.nodes, probe, timeoutMs: Math.max(firstLeaderMsMin, plan.checks.healthyAfterMsMax), progress: options.progress, signal: state.signal });
  if (!leader.found) {
    if (!state.signal.aborted) state.outcome.verdicts.push({ check: 'leader-elected', valid: false, summary: `no leader after the cluster started: ${leader.reason}` });
    return;
  }
  options.progress(`leader ${leader.leader} in term ${leader.term} after ${leader.elapsedMs} ms; starting the workload`);
  state.timeline.note(state.clock.nowNs(), 'first leader', { leader: leader.leader, term: leader.term });
  state.watcher = watchLeader(() => cluster.nodes, probe, state.clock);
  state.workload = startWorkload({
    plan: plan.workload,
    createClient: () => state.system.createClient(addresses(), { requestTimeoutMs: plan.workload.requestTimeoutMs }),
    clientGeneration: () => JSON.stringify(addresses()),
    recorder: state.recorder,
    random: state.random.derive('workload'),
    progress: options.progress,
    drainTimeoutMs: operationDeadlineMs(plan.workload.requestTimeoutMs) + 1000,
  });
  state.driver = new FaultDriver({
    cluster, probe, timeline: state.timeline, clock: state.clock, random: state.random.derive('targets'),
    restartDelayMs: plan.cluster.restartDelayMs, spareNodes: spareNodesFor(plan), healTimeoutMs: plan.cluster.restartDelayMs + healMarginMs, progress: options.progress,
  });
  await interpretSteps(plan.steps, {
    plan, cluster, driver: state.driver, probe, clock: state.clock, timeline: state.timeline, random: state.random.derive('nemesis'),
    progress: options.progress, signal: state.signal, verdicts: state.outcome.verdicts,
  });
}

/** Heal is not recovery: heal everything, then wait with a deadline until the cluster is healthy. */
export async function recoverCluster(state: RunState): Promise<void> {
  if (state.driver === undefined || state.probe === undefined) return;
  const failures = await state.driver.healAll();
  state.endNs = state.clock.nowNs();
  if (failures.length > 0) throw new Error(`a fault could not be reverted: ${failures.join('; ')}`);
  if (state.signal.aborted) return;
  const { plan, options } = state;
  options.progress(`every fault healed; waiting up to ${plan.checks.healthyAfterMsMax} ms for a healthy cluster`);
  const health = await waitForHealthy({ nodes: state.cluster!.nodes, probe: state.probe.probe, timeoutMs: plan.checks.healthyAfterMsMax, progress: options.progress, signal: state.signal });
  if (state.signal.aborted) return;
  state.timeline.note(state.clock.nowNs(), health.healthy ? `healthy after ${health.elapsedMs} ms` : `not healthy: ${health.reason}`);
  state.outcome.verdicts.push(
    health.healthy
      ? { check: 'healthy-after-heal', valid: true, summary: `one leader (${health.leader}) and every node caught up ${health.elapsedMs} ms after the final heal`, evidence: { elapsedMs: health.elapsedMs, limitMs: plan.checks.healthyAfterMsMax } }
      : { check: 'healthy-after-heal', valid: false, summary: `not healthy ${plan.checks.healthyAfterMsMax} ms after the final heal: ${health.reason}`, evidence: { limitMs: plan.checks.healthyAfterMsMax } },
  );
  if (plan.needs.includes('membership')) {
    state.finalConfiguration = await probeFinalConfiguration({ nodes: state.cluster!.nodes, expectedSize: plan.cluster.replicas, probe: state.probe.probe, progress: options.progress, signal: state.signal });
  }
}

/** Stops the workload, reads every key written (unless interrupted) and stops the watchers. Idempotent. */
export async function stopTraffic(state: RunState): Promise<void> {
  if (state.trafficStopped) return;
  state.trafficStopped = true;
  if (state.workload !== undefined) {
    const summary = await state.workload.stop();
    state.outcome.operations = { ok: summary.counts.ok, fail: summary.counts.fail, info: summary.counts.info };
    if (summary.failure !== undefined) throw new Error(`the workload failed: ${summary.failure.message}`);
    if (!state.signal.aborted && state.cluster !== undefined && state.outcome.problems.length === 0) await readEveryKey(state, summary.keysWritten, summary.nextProcess);
  }
  await state.watcher?.stop();
  state.probe?.close();
}

async function readEveryKey(state: RunState, keys: string[], firstProcess: number): Promise<void> {
  const client = state.system.createClient(clientAddresses(state), { requestTimeoutMs: state.plan.workload.requestTimeoutMs });
  state.options.progress(`final reads of ${keys.length} keys`);
  try {
    const result = await finalReads({ keys, client, recorder: state.recorder, firstProcess, attemptsPerKey: 5, timeoutMs: 30_000 + 200 * keys.length, progress: state.options.progress });
    state.finalReadsStartNs = result.markerNs;
    state.timeline.note(result.markerNs, 'final reads', { keys: keys.length, unread: result.unread });
    for (const operation of ['ok', 'fail', 'info'] as const) state.outcome.operations[operation] += result.counts[operation];
  } finally {
    client.close();
  }
}

/** Where each node answers clients now (a platform may move a restarted node to a new port). */
function clientAddresses(state: RunState): Record<string, string> {
  const cluster = state.cluster!;
  return Object.fromEntries(cluster.nodes.map((node) => [node, cluster.clientAddress(node)]));
}

function operationDeadlineMs(requestTimeoutMs: number): number {
  return Math.max(3 * requestTimeoutMs, 5000);
}

function clusterRunId(reportDir: string, scenario: string): string {
  const base = reportDir.split(/[\\/]/).filter(Boolean).at(-1) ?? 'run';
  return `${base}-${scenario}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 60);
}
