// Runs one scenario plan on a platform: start the cluster, wait for a leader, run the workload
// while the steps inject faults, heal everything, wait (with a deadline) until healthy, stop the
// workload, read every key written, collect logs, tear down regardless, then check the written
// history. Platform failures become ScenarioResult.error (exit 3) alongside any verdicts.

import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeptCluster, Platform } from '../platform/platform.js';
import { createWorkDirectory } from '../shared/work-directory.js';
import type { Plan } from '../scenario/plan.js';
import { createAbortScope } from './abort-scope.js';
import { checkRecordedHistoryInChild } from './check-in-child-process.js';
import { missingNeeds } from './missing-needs.js';
import { createRunState, type RunState } from './run-state.js';
import { recoverCluster, runFaultPhase, startCluster, stopTraffic } from './scenario-phases.js';
import { runFactsFromTimeline } from './run-facts-from-timeline.js';
import { ScenarioOutcome } from './scenario-outcome.js';
import type { ScenarioResult } from '../report/scenario-result.js';
import type { System } from '../systems/system.js';

export interface RunScenarioOptions {
  reportDir: string;
  scenarioDir: string;
  serverCommand?: string;
  /** The system under test; default: the reference server, or `serverCommand`. */
  system?: System;
  keep: boolean;
  progress: (line: string) => void;
  signal: AbortSignal;
  replayCommand: string;
}

export async function runScenario(plan: Plan, platform: Platform, options: RunScenarioOptions): Promise<ScenarioResult> {
  const startedMs = performance.now();
  const outcome = new ScenarioOutcome();
  const finish = () => outcome.toResult(plan, platform.name, options.reportDir, performance.now() - startedMs, options.replayCommand);
  const missing = missingNeeds(plan, platform);
  if (missing !== undefined) {
    outcome.badInput = missing;
    return finish();
  }
  await mkdir(options.scenarioDir, { recursive: true });
  const scope = createAbortScope(options.signal, plan.timeLimitMs);
  const workDir = await createWorkDirectory();
  const state = createRunState({ plan, platform, options, outcome, signal: scope.signal, workDir });
  try {
    if (await startCluster(state)) {
      await runFaultPhase(state);
      await recoverCluster(state);
      await stopTraffic(state);
    }
  } catch (error) {
    outcome.platformError(`${plan.name}: ${(error as Error).message}`, `see the node logs in ${options.scenarioDir}/logs; then run \`npx harness clean --platform ${platform.name}\` and replay with: ${options.replayCommand}`);
  } finally {
    await cleanUp(state);
    scope.dispose();
  }
  if (scope.reason !== undefined) outcome.verdicts.push(abortVerdict(scope.reason, plan));
  await checkHistory(state);
  return finish();
}

/** Heals, stops traffic and tears down whatever is still running, whatever happened before. */
async function cleanUp(state: RunState): Promise<void> {
  const { outcome, options, platform } = state;
  const failures = state.driver ? await state.driver.healAll() : [];
  for (const failure of failures) outcome.platformError(`a fault could not be reverted: ${failure}`, `run \`npx harness clean --platform ${platform.name}\` to remove the cluster`);
  await stopTraffic(state).catch((error: Error) => options.progress(`stopping the workload: ${error.message}`));
  await state.recorder.close().catch((error: Error) => outcome.platformError(error.message, 'check the disk and the report directory'));
  if (state.cluster !== undefined) {
    if (platform.capabilities.has('readLogs')) {
      outcome.logPaths = await state.cluster.collectLogs(join(options.scenarioDir, 'logs')).catch((error: Error) => {
        outcome.platformError(`collecting node logs failed: ${error.message}`, `look for the logs under ${state.workDir}`);
        return [];
      });
    }
    if (options.keep) await keepCluster(state);
    else await teardown(state);
  }
  if (!options.keep || state.outcome.kept === undefined) await rm(state.workDir, { recursive: true, force: true }).catch(() => undefined);
}

/** `--keep`: the platform hands the cluster over to itself; what it says goes into the result. */
async function keepCluster(state: RunState): Promise<void> {
  const { cluster, options, platform, plan } = state;
  if (cluster === undefined) return;
  const removeCommand = `npx harness clean --platform ${platform.name}`;
  try {
    const kept: KeptCluster = cluster.keep !== undefined
      ? await cluster.keep()
      : { nodes: cluster.nodes.map((node) => ({ node, clientAddress: cluster.clientAddress(node) })), removeCommand };
    state.outcome.kept = kept;
    options.progress(`kept the cluster of ${plan.name} running (--keep):`);
    for (const node of kept.nodes) options.progress(`  ${node.node} at ${node.clientAddress}${node.detail === undefined ? '' : ` (${node.detail})`}`);
    if (kept.workDir !== undefined) options.progress(`  logs and data: ${kept.workDir}`);
    options.progress(`  remove it with: ${kept.removeCommand}`);
  } catch (error) {
    state.outcome.platformError(`keeping the cluster failed: ${(error as Error).message}`, `run \`${removeCommand}\` to remove what is left`);
    await teardown(state);
  }
}

async function teardown(state: RunState): Promise<void> {
  state.options.progress(`tearing down the ${state.platform.name} cluster of ${state.plan.name}`);
  await state.cluster?.teardown().catch((error: Error) =>
    state.outcome.platformError(`teardown failed: ${error.message}`, `run \`npx harness clean --platform ${state.platform.name}\` to remove what is left`),
  );
}

async function checkHistory(state: RunState): Promise<void> {
  const { outcome, plan } = state;
  if (outcome.badInput !== undefined || state.cluster === undefined) return; // nothing ran
  state.options.progress(`checking the history of ${plan.name}`);
  const facts = runFactsFromTimeline({
    records: state.timeline.records,
    endNs: state.endNs ?? state.clock.nowNs(),
    ...(state.finalReadsStartNs !== undefined ? { finalReadsStartNs: state.finalReadsStartNs } : {}),
    leaderChanges: state.watcher?.changes ?? [],
    checks: plan.checks,
    ...(state.finalConfiguration !== undefined ? { finalConfiguration: state.finalConfiguration } : {}),
  });
  const checked = await checkRecordedHistoryInChild({ historyPath: state.historyPath, facts, logPaths: outcome.logPaths, scenarioDir: state.options.scenarioDir, title: `${plan.name} (seed ${plan.seed})` });
  outcome.verdicts.push(...checked.verdicts);
  outcome.factsPath = checked.factsPath;
  outcome.htmlPath = checked.htmlPath;
}

function abortVerdict(reason: 'interrupted' | 'time-limit', plan: Plan) {
  return reason === 'interrupted'
    ? { check: 'completed', valid: 'unknown' as const, summary: 'the run was interrupted; the partial history was checked' }
    : { check: 'completed', valid: 'unknown' as const, summary: `the scenario ran past its time limit of ${plan.timeLimitMs} ms and was stopped; the partial history was checked` };
}
