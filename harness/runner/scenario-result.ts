// What running one scenario produced: the input of the reports (TAP, summary.json, console table).

import type { Validity, Verdict } from '../checkers/verdict.js';

export interface ScenarioResult {
  scenario: string;
  file: string;
  seed: number;
  platform: string;
  /** Composed over every verdict: false beats unknown beats true. */
  valid: Validity;
  verdicts: Verdict[];
  /** Set when the run could not complete (platform failed to start, a fault could not be reverted). */
  error?: { message: string; nextStep: string; exitCode: 2 | 3 };
  /** Paths written for this scenario, relative to the run's report directory. */
  files: { history?: string; timeline?: string; logs: string[]; html?: string; facts?: string };
  durationMs: number;
  /** Operations recorded, by completion type. */
  operations: { ok: number; fail: number; info: number };
  /** The exact command that replays this scenario with the same seed. */
  replayCommand: string;
}

/** A scenario `run all` did not run because the platform lacks what it needs here. */
export interface UnsupportedScenario {
  scenario: string;
  file: string;
  /** Which capabilities, and why they are missing (e.g. not root). */
  reason: string;
}

export interface RunResult {
  runId: string;
  reportDir: string;
  platform: string;
  /** The system under test (`--system`); absent in runs from before systems existed. */
  system?: string;
  seed: number;
  scenarios: ScenarioResult[];
  /** 0 all passed, 1 a check failed, 2 bad input, 3 platform error, 4 unknown. */
  exitCode: 0 | 1 | 2 | 3 | 4;
}
