// The final console table: one row per scenario, one column per check.

import type { ChalkInstance } from 'chalk';
import type { Validity } from '../checkers/verdict.js';
import type { ScenarioResult } from '../runner/scenario-result.js';
import { formatDurationMs } from '../scenario/duration.js';
import { scenarioExitCode } from './exit-code.js';

type Cell = { text: string; paint: (text: string) => string };

export function formatResultsTable(results: readonly ScenarioResult[], style: ChalkInstance): string {
  const checks = [...new Set(results.flatMap((result) => result.verdicts.map((verdict) => verdict.check)))];
  const header: Cell[] = ['scenario', ...checks, 'result', 'ops ok/fail/info', 'time'].map((text) => ({ text, paint: style.bold }));
  const rows = results.map((result) => row(result, checks, style));
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((cells) => cells[column].text.length)));
  const render = (cells: Cell[]): string =>
    cells.map((cell, column) => cell.paint(cell.text.padEnd(widths[column]))).join('  ').trimEnd();
  return [render(header), ...rows.map(render)].join('\n');
}

function row(result: ScenarioResult, checks: string[], style: ChalkInstance): Cell[] {
  const verdictCells = checks.map((check) => {
    const verdict = result.verdicts.find((candidate) => candidate.check === check);
    return verdict === undefined ? { text: '-', paint: style.dim } : validityCell(verdict.valid, style);
  });
  const { ok, fail, info } = result.operations;
  return [
    { text: result.scenario, paint: (text) => text },
    ...verdictCells,
    resultCell(result, style),
    { text: `${ok}/${fail}/${info}`, paint: (text) => text },
    { text: formatDurationMs(result.durationMs), paint: style.dim },
  ];
}

function validityCell(valid: Validity, style: ChalkInstance): Cell {
  if (valid === true) return { text: 'ok', paint: style.green };
  if (valid === false) return { text: 'FAIL', paint: style.red.bold };
  return { text: 'unknown', paint: style.yellow };
}

function resultCell(result: ScenarioResult, style: ChalkInstance): Cell {
  const code = scenarioExitCode(result);
  if (code === 0) return { text: 'passed', paint: style.green };
  if (code === 1) return { text: 'FAILED', paint: style.red.bold };
  if (code === 4) return { text: 'unknown', paint: style.yellow };
  return { text: 'ERROR', paint: style.magenta.bold };
}
