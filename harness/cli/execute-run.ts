// Runs prepared scenarios one after another on one platform, writing the reports after each, so
// an interrupted run still leaves results.tap and summary.json. The runner is passed in.

import path from 'node:path';
import type { Platform } from '../platform/platform.js';
import type { ConsoleReporter } from '../report/console-reporter.js';
import { runExitCode, type ExitCode } from '../report/exit-code.js';
import { writeRunReport } from '../report/write-run-report.js';
import type { RunScenarioOptions } from '../runner/run-scenario.js';
import type { ScenarioResult, UnsupportedScenario } from '../runner/scenario-result.js';
import type { Plan } from '../scenario/plan.js';
import type { PreparedScenario } from './prepare-run.js';
import type { System } from '../systems/system.js';

export type { RunScenarioOptions };

export type ScenarioRunner = (plan: Plan, platform: Platform, options: RunScenarioOptions) => Promise<ScenarioResult>;

export interface RunInput {
  prepared: readonly PreparedScenario[];
  /** Scenarios of `run all` this platform cannot run here: reported as skipped. */
  unsupported?: readonly UnsupportedScenario[];
  platform: Platform;
  runner: ScenarioRunner;
  runId: string;
  reportDir: string;
  seed: number;
  keep: boolean;
  serverCommand?: string;
  /** The system under test; default: the reference server, or `serverCommand`. */
  system?: System;
  signal: AbortSignal;
  reporter: ConsoleReporter;
  command: string;
}

export interface RunOutcome {
  results: ScenarioResult[];
  skipped: string[];
  /** The composed exit status, or 130 when Ctrl-C stopped the run and no check failed. */
  exitCode: ExitCode | typeof interruptedExitCode;
  interrupted: boolean;
}

export const interruptedExitCode = 130;

export async function executeRun(input: RunInput): Promise<RunOutcome> {
  const startedAt = new Date();
  const results: ScenarioResult[] = [];
  const skipped: string[] = [];
  const unsupported = input.unsupported ?? [];
  const write = () =>
    writeRunReport(
      { runId: input.runId, reportDir: input.reportDir, platform: input.platform.name, ...(input.system !== undefined ? { system: input.system.name } : {}), seed: input.seed, scenarios: results, exitCode: runExitCode(results) },
      { startedAt, finishedAt: new Date(), command: input.command, interrupted: input.signal.aborted, skipped, unsupported },
    );
  input.reporter.runStarted({ runId: input.runId, platform: input.platform.name, ...(input.system !== undefined ? { system: input.system.name } : {}), seed: input.seed, reportDir: input.reportDir, scenarios: input.prepared.length, unsupported });
  for (const [index, scenario] of input.prepared.entries()) {
    if (input.signal.aborted) {
      skipped.push(scenario.plan.name);
      continue;
    }
    input.reporter.scenarioStarted(scenario.plan, index + 1, input.prepared.length);
    const result = await runOne(input, scenario);
    results.push(result);
    input.reporter.scenarioFinished(result);
    await write();
  }
  if (skipped.length > 0 || results.length === 0) await write();
  const composed = runExitCode(results);
  const exitCode = input.signal.aborted && composed !== 1 ? interruptedExitCode : composed;
  input.reporter.runFinished(results, input.reportDir, exitCode, skipped, unsupported);
  return { results, skipped, exitCode, interrupted: input.signal.aborted };
}

async function runOne(input: RunInput, scenario: PreparedScenario): Promise<ScenarioResult> {
  const startedMs = performance.now();
  try {
    return await input.runner(scenario.plan, input.platform, {
      reportDir: input.reportDir,
      scenarioDir: path.join(input.reportDir, scenario.plan.name),
      ...(input.serverCommand !== undefined ? { serverCommand: input.serverCommand } : {}),
      ...(input.system !== undefined ? { system: input.system } : {}),
      keep: input.keep,
      progress: (line) => input.reporter.progress(line),
      signal: input.signal,
      replayCommand: scenario.replayCommand,
    });
  } catch (error) {
    return crashedResult(scenario, input.platform.name, error as Error, performance.now() - startedMs);
  }
}

/** The runner itself threw: recorded as a platform error (exit 3), never as a verdict. */
function crashedResult(scenario: PreparedScenario, platform: string, error: Error, durationMs: number): ScenarioResult {
  const { plan } = scenario;
  return {
    scenario: plan.name,
    file: plan.file,
    seed: plan.seed,
    platform,
    valid: 'unknown',
    verdicts: [],
    error: {
      message: `the run of ${plan.name} stopped with an error: ${error.message}`,
      nextStep: `run \`npx harness clean --platform ${platform}\` to remove what it left, then replay with: ${scenario.replayCommand}`,
      exitCode: 3,
    },
    files: { logs: [] },
    durationMs: Math.round(durationMs),
    operations: { ok: 0, fail: 0, info: 0 },
    replayCommand: scenario.replayCommand,
  };
}
