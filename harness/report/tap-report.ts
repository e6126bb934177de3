// results.tap: TAP version 14, one test point per scenario, each check a subtest. A failure
// carries a YAML block naming the check, the anomaly, its evidence, the seed and the replay
// command; an unknown verdict is `not ok … # TODO unknown`; a scenario of `run all` the platform
// cannot run here is `ok … # SKIP` with the reason.

import { stringify } from 'tap-yaml';
import type { Verdict } from '../checkers/verdict.js';
import type { ScenarioResult, UnsupportedScenario } from './scenario-result.js';
import { scenarioExitCode } from './exit-code.js';

export function formatTap(results: readonly ScenarioResult[], unsupported: readonly UnsupportedScenario[] = []): string {
  const lines = ['TAP version 14', `1..${results.length + unsupported.length}`];
  results.forEach((result, index) => lines.push(...scenarioPoint(result, index + 1)));
  unsupported.forEach((scenario, index) =>
    lines.push(`ok ${results.length + index + 1} - ${escapeDescription(scenario.scenario)} # SKIP ${escapeDescription(scenario.reason)}`),
  );
  return `${lines.join('\n')}\n`;
}

function scenarioPoint(result: ScenarioResult, number: number): string[] {
  const children = childPoints(result);
  const code = scenarioExitCode(result);
  const status = code === 0 ? 'ok' : 'not ok';
  const directive = code === 4 ? ' # TODO unknown' : '';
  const point = `${status} ${number} - ${escapeDescription(result.scenario)}${directive}`;
  const block = code === 0 || code === 4 ? [] : yamlBlock(scenarioFacts(result), '  ');
  return [`# Subtest: ${escapeDescription(result.scenario)}`, ...children.map((line) => `    ${line}`), point, ...block];
}

function childPoints(result: ScenarioResult): string[] {
  const lines: string[] = [];
  let number = 0;
  if (result.error !== undefined) {
    number += 1;
    lines.push(`not ok ${number} - run`, ...yamlBlock(errorFacts(result), '  '));
  }
  for (const verdict of result.verdicts) {
    number += 1;
    lines.push(...verdictPoint(verdict, number, result));
  }
  return [`1..${number}`, ...lines];
}

function verdictPoint(verdict: Verdict, number: number, result: ScenarioResult): string[] {
  const name = escapeDescription(verdict.check);
  if (verdict.valid === true) return [`ok ${number} - ${name}`];
  if (verdict.valid === 'unknown') {
    return [`not ok ${number} - ${name} # TODO unknown`, ...yamlBlock(verdictFacts(verdict, result), '  ')];
  }
  return [`not ok ${number} - ${name}`, ...yamlBlock(verdictFacts(verdict, result), '  ')];
}

function verdictFacts(verdict: Verdict, result: ScenarioResult): Record<string, unknown> {
  return {
    check: verdict.check,
    valid: verdict.valid,
    anomaly: verdict.summary,
    ...(verdict.evidence !== undefined ? { evidence: verdict.evidence } : {}),
    ...replayFacts(result),
  };
}

function errorFacts(result: ScenarioResult): Record<string, unknown> {
  return {
    error: result.error?.message,
    next: result.error?.nextStep,
    exitCode: result.error?.exitCode,
    ...replayFacts(result),
  };
}

function scenarioFacts(result: ScenarioResult): Record<string, unknown> {
  const failed = result.verdicts.filter((verdict) => verdict.valid !== true).map((verdict) => verdict.check);
  const error = result.error === undefined ? {} : { error: result.error.message.split('\n')[0] };
  return { ...(failed.length > 0 ? { failed } : {}), ...error, ...replayFacts(result) };
}

function replayFacts(result: ScenarioResult): Record<string, unknown> {
  return {
    scenario: result.scenario,
    file: result.file,
    platform: result.platform,
    seed: result.seed,
    replay: result.replayCommand,
    ...(result.files.history !== undefined ? { history: result.files.history } : {}),
  };
}

function yamlBlock(facts: Record<string, unknown>, indent: string): string[] {
  const body = stringify(withoutUndefined(facts)).replace(/\n$/, '').split('\n');
  return [`${indent}---`, ...body.map((line) => `${indent}${line}`), `${indent}...`];
}

function withoutUndefined(facts: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined));
}

/** `#` starts a directive in a TAP description and a leading digit reads as a test number. */
function escapeDescription(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/#/g, '\\#').replace(/\n/g, ' ');
}
