// Exit status of `harness run` (SPEC section 4): 0 passed, 1 a check failed, 2 bad input,
// 3 platform could not be set up or torn down, 4 nothing failed but a verdict is unknown.
// Over several scenarios the most telling wins: 2, then 1 (a safety verdict), then 3, then 4.

import type { ScenarioResult } from './scenario-result.js';

export type ExitCode = 0 | 1 | 2 | 3 | 4;

const precedence: ExitCode[] = [2, 1, 3, 4, 0];

export function scenarioExitCode(result: ScenarioResult): ExitCode {
  if (result.verdicts.some((verdict) => verdict.valid === false) || result.valid === false) return 1;
  if (result.error !== undefined) return result.error.exitCode;
  if (result.valid === 'unknown') return 4;
  return 0;
}

export function composeExitCodes(codes: readonly ExitCode[]): ExitCode {
  return precedence.find((code) => codes.includes(code)) ?? 0;
}

export function runExitCode(results: readonly ScenarioResult[]): ExitCode {
  return composeExitCodes(results.map(scenarioExitCode));
}
