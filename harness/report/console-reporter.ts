// What a run prints: a header, one line per step with its time, a live progress line during long
// waits (terminals only), the results table, and on failure what to do next.

import path from 'node:path';
import type { ChalkInstance } from 'chalk';
import type { ScenarioResult, UnsupportedScenario } from '../runner/scenario-result.js';
import type { Plan } from '../scenario/plan.js';
import { formatDurationMs } from '../scenario/duration.js';
import { scenarioExitCode, type ExitCode } from './exit-code.js';
import { formatResultsTable } from './results-table.js';
import type { OutputStream } from './terminal-style.js';

const liveRefreshMs = 250;

export class ConsoleReporter {
  private scenarioStartMs = 0;
  private scenarioName = '';
  private lastLine = '';
  private liveTimer: NodeJS.Timeout | undefined;
  private liveShown = false;

  constructor(
    private readonly stream: OutputStream,
    private readonly style: ChalkInstance,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private get live(): boolean {
    return this.stream.isTTY === true;
  }

  runStarted(facts: { runId: string; platform: string; system?: string; seed: number; reportDir: string; scenarios: number; unsupported?: readonly UnsupportedScenario[] }): void {
    this.line(this.style.bold(`raft-chaos run ${facts.runId}`));
    this.line(`  platform ${facts.platform}${facts.system !== undefined ? ` · system ${facts.system}` : ''} · seed ${facts.seed} · ${facts.scenarios} scenario(s) · reports in ${facts.reportDir}`);
    for (const scenario of facts.unsupported ?? []) this.line(this.style.yellow(`  skipping ${scenario.scenario}: ${scenario.reason}`));
  }

  scenarioStarted(plan: Plan, index: number, total: number): void {
    this.scenarioStartMs = this.now();
    this.scenarioName = plan.name;
    this.lastLine = 'starting the cluster';
    this.line('');
    this.line(this.style.bold.cyan(`[${index}/${total}] ${plan.name}`) + this.style.dim(` (${plan.cluster.replicas} nodes, ${plan.file})`));
    if (this.live) this.liveTimer = setInterval(() => this.drawLive(), liveRefreshMs).unref();
  }

  /** One step's line from the runner, stamped with the time since the scenario started. */
  progress(message: string): void {
    this.lastLine = message;
    this.line(`  ${this.style.dim(this.elapsed().padStart(7))} ${message}`);
  }

  scenarioFinished(result: ScenarioResult): void {
    this.stopLive();
    const code = scenarioExitCode(result);
    const words: Record<ExitCode, string> = {
      0: this.style.green('passed'),
      1: this.style.red.bold('FAILED'),
      2: this.style.magenta.bold('ERROR (bad input)'),
      3: this.style.magenta.bold('ERROR (platform)'),
      4: this.style.yellow('UNKNOWN'),
    };
    this.line(`  ${words[code]} in ${formatDurationMs(result.durationMs)}`);
    for (const verdict of result.verdicts.filter((candidate) => candidate.valid !== true)) {
      const mark = verdict.valid === false ? this.style.red('✗') : this.style.yellow('?');
      this.line(`    ${mark} ${verdict.check}: ${verdict.summary}`);
    }
    if (result.error !== undefined) {
      this.line(`    ${this.style.magenta('!')} ${result.error.message}`);
      this.line(`      next: ${result.error.nextStep}`);
    }
  }

  runFinished(
    results: readonly ScenarioResult[],
    reportDir: string,
    exitCode: ExitCode | 130,
    skipped: readonly string[],
    unsupported: readonly UnsupportedScenario[] = [],
  ): void {
    this.stopLive();
    this.line('');
    if (results.length > 0) this.line(formatResultsTable(results, this.style));
    if (skipped.length > 0) this.line(this.style.yellow(`not run (interrupted): ${skipped.join(', ')}`));
    if (unsupported.length > 0) this.line(this.style.yellow(`not run on this platform here: ${unsupported.map((scenario) => scenario.scenario).join(', ')} (reasons above and in results.tap)`));
    this.line('');
    const failing = results.filter((result) => scenarioExitCode(result) !== 0);
    for (const result of failing) this.nextSteps(result, reportDir);
    this.line(`report: ${path.join(reportDir, 'results.tap')} and summary.json (see docs/reports.md)`);
    this.line(this.summaryLine(exitCode, unsupported.length));
  }

  note(message: string): void {
    this.line(message);
  }

  private nextSteps(result: ScenarioResult, reportDir: string): void {
    this.line(this.style.bold(`${result.scenario}:`));
    this.line(`  replay:   ${result.replayCommand}`);
    if (result.files.history !== undefined) {
      const history = path.join(reportDir, result.files.history);
      this.line(`  history:  ${history}`);
      this.line(`  re-check: npx harness check ${history}`);
    }
    if (result.files.logs.length > 0) this.line(`  logs:     ${path.join(reportDir, path.dirname(result.files.logs[0]))}`);
  }

  private summaryLine(exitCode: ExitCode | 130, notRunHere: number): string {
    const messages: Record<ExitCode | 130, string> = {
      0: this.style.green.bold(notRunHere === 0 ? 'all scenarios passed' : `every scenario that ran passed (${notRunHere} not run on this platform here)`),
      1: this.style.red.bold('a check failed: the system under test misbehaved (exit 1)'),
      2: this.style.magenta.bold('bad scenario or command line (exit 2)'),
      3: this.style.magenta.bold('the platform could not be set up or torn down (exit 3)'),
      4: this.style.yellow.bold('no check failed, but some verdicts are unknown (exit 4)'),
      130: this.style.yellow.bold('interrupted: the results above are partial (exit 130)'),
    };
    return messages[exitCode];
  }

  private elapsed(): string {
    return formatDurationMs(this.now() - this.scenarioStartMs);
  }

  private drawLive(): void {
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    const text = `  ${this.elapsed().padStart(7)} ${this.scenarioName} · ${this.lastLine}`.slice(0, width);
    this.stream.write(`\r\x1b[2K${this.style.dim(text)}`);
    this.liveShown = true;
  }

  private stopLive(): void {
    if (this.liveTimer !== undefined) clearInterval(this.liveTimer);
    this.liveTimer = undefined;
    this.clearLive();
  }

  private clearLive(): void {
    if (!this.liveShown) return;
    this.stream.write('\r\x1b[2K');
    this.liveShown = false;
  }

  private line(text: string): void {
    this.clearLive();
    this.stream.write(`${text}\n`);
  }
}
