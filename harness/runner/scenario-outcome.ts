// What a scenario run collects while it goes, turned into a ScenarioResult at the end: the run's
// own verdicts, platform errors (exit 3) and files, kept apart so a teardown error never erases
// a verdict.

import { relative } from 'node:path';
import { composeValidity, type Verdict } from '../checkers/verdict.js';
import type { KeptCluster } from '../platform/platform.js';
import type { Plan } from '../scenario/plan.js';
import type { ScenarioResult } from '../report/scenario-result.js';

export interface PlatformProblem {
  message: string;
  nextStep: string;
}

export class ScenarioOutcome {
  readonly verdicts: Verdict[] = [];
  readonly problems: PlatformProblem[] = [];
  badInput: PlatformProblem | undefined;
  historyPath: string | undefined;
  timelinePath: string | undefined;
  htmlPath: string | undefined;
  factsPath: string | undefined;
  logPaths: string[] = [];
  kept: KeptCluster | undefined;
  operations = { ok: 0, fail: 0, info: 0 };

  platformError(message: string, nextStep: string): void {
    this.problems.push({ message, nextStep });
  }

  toResult(plan: Plan, platform: string, reportDir: string, durationMs: number, replayCommand: string): ScenarioResult {
    const files: ScenarioResult['files'] = { logs: this.logPaths.map((path) => relative(reportDir, path)) };
    if (this.historyPath !== undefined) files.history = relative(reportDir, this.historyPath);
    if (this.timelinePath !== undefined) files.timeline = relative(reportDir, this.timelinePath);
    if (this.htmlPath !== undefined) files.html = relative(reportDir, this.htmlPath);
    if (this.factsPath !== undefined) files.facts = relative(reportDir, this.factsPath);
    const result: ScenarioResult = {
      scenario: plan.name,
      file: plan.file,
      seed: plan.seed,
      platform,
      valid: this.verdicts.length === 0 ? 'unknown' : composeValidity(this.verdicts.map((verdict) => verdict.valid)),
      verdicts: this.verdicts,
      files,
      durationMs: Math.round(durationMs),
      operations: this.operations,
      replayCommand,
    };
    if (this.kept !== undefined) result.kept = this.kept;
    if (this.badInput !== undefined) result.error = { ...this.badInput, exitCode: 2 };
    else if (this.problems.length > 0) {
      result.error = { message: this.problems.map((problem) => problem.message).join('; '), nextStep: this.problems[0]!.nextStep, exitCode: 3 };
    }
    return result;
  }
}
