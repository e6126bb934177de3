// summary.json: the whole run in one machine-readable file.

import type { RunResult, ScenarioResult, UnsupportedScenario } from '../runner/scenario-result.js';
import { scenarioExitCode, type ExitCode } from './exit-code.js';

export interface RunFacts {
  startedAt: Date;
  finishedAt: Date;
  /** The command line that started the run. */
  command: string;
  /** Set when Ctrl-C stopped the run early; `skipped` lists scenarios that never ran. */
  interrupted: boolean;
  skipped: string[];
  /** Scenarios of `run all` the platform could not run here, with the reason; none when absent. */
  unsupported?: readonly UnsupportedScenario[];
}

export interface ScenarioSummary extends ScenarioResult {
  exitCode: ExitCode;
}

export interface RunSummary extends Omit<RunResult, 'scenarios'> {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  command: string;
  interrupted: boolean;
  skipped: string[];
  unsupported: UnsupportedScenario[];
  scenarios: ScenarioSummary[];
}

export function buildRunSummary(run: RunResult, facts: RunFacts): RunSummary {
  return {
    runId: run.runId,
    reportDir: run.reportDir,
    platform: run.platform,
    ...(run.system !== undefined ? { system: run.system } : {}),
    seed: run.seed,
    exitCode: run.exitCode,
    startedAt: facts.startedAt.toISOString(),
    finishedAt: facts.finishedAt.toISOString(),
    durationMs: facts.finishedAt.getTime() - facts.startedAt.getTime(),
    command: facts.command,
    interrupted: facts.interrupted,
    skipped: [...facts.skipped],
    unsupported: [...(facts.unsupported ?? [])],
    scenarios: run.scenarios.map((result) => ({ ...result, exitCode: scenarioExitCode(result) })),
  };
}
