// The final console table: one row per scenario, one column per check; where that is wider
// than the output, a compact table with the checks that did not pass named in its last column.

import type { ChalkInstance } from 'chalk';
import type { Validity } from '../checkers/verdict.js';
import type { ScenarioResult } from './scenario-result.js';
import { formatDurationMs } from '../scenario/duration.js';
import { scenarioExitCode } from './exit-code.js';
import { wrapHanging } from './output-width.js';

type Cell = { text: string; paint: (text: string) => string };

/** Narrower than this, the compact table's checks column moves under each row. */
const minimumCheckColumn = 20;

/** `width`: the columns the output has; undefined: unlimited. */
export function formatResultsTable(results: readonly ScenarioResult[], style: ChalkInstance, width?: number): string {
  const checks = [...new Set(results.flatMap((result) => result.verdicts.map((verdict) => verdict.check)))];
  const header: Cell[] = ['scenario', ...checks, 'result', 'ops ok/fail/info', 'time'].map((text) => ({ text, paint: style.bold }));
  const rows = results.map((result) => row(result, checks, style));
  const full = renderCells([header, ...rows]);
  const fullWidth = Math.max(...full.map((line) => line.width));
  if (width === undefined || fullWidth <= width) return full.map((line) => line.text).join('\n');
  return compactTable(results, style, width);
}

/** Scenario, result, operations, time, then the checks that did not pass (and how many did). */
function compactTable(results: readonly ScenarioResult[], style: ChalkInstance, width: number): string {
  const header: Cell[] = ['scenario', 'result', 'ok/fail/info', 'time'].map((text) => ({ text, paint: style.bold }));
  const rows = results.map((result) => {
    const cells = row(result, [], style);
    return [cells[0]!, cells[1]!, cells[2]!, cells[3]!];
  });
  const lines = renderCells([header, ...rows], true);
  const start = lines[0]!.width + 2;
  const checkColumn = [style.bold('checks'), ...results.map((result) => checksSummary(result, style))];
  if (width - start >= minimumCheckColumn) {
    return lines.map((line, index) => `${line.text}  ${wrapHanging(checkColumn[index]!, start, width)}`).join('\n');
  }
  // Too narrow for a fourth column: the checks go on their own indented line under each row.
  const under = (text: string) => `    ${wrapHanging(text, 4, width)}`;
  return lines.map((line, index) => `${line.text.trimEnd()}\n${under(checkColumn[index]!)}`).join('\n');
}

function checksSummary(result: ScenarioResult, style: ChalkInstance): string {
  const passed = result.verdicts.filter((verdict) => verdict.valid === true).length;
  const failed = result.verdicts.filter((verdict) => verdict.valid === false).map((verdict) => verdict.check);
  const unknown = result.verdicts.filter((verdict) => verdict.valid === 'unknown').map((verdict) => verdict.check);
  const parts = [
    ...(failed.length > 0 ? [style.red.bold(`FAIL ${failed.join(', ')}`)] : []),
    ...(unknown.length > 0 ? [style.yellow(`unknown ${unknown.join(', ')}`)] : []),
    style.green(`${passed} ok`),
  ];
  return parts.join('; ');
}

function renderCells(table: Cell[][], padLast = false): { text: string; width: number }[] {
  const widths = table[0]!.map((_, column) => Math.max(...table.map((cells) => cells[column]!.text.length)));
  return table.map((cells) => {
    const padded = cells.map((cell, column) => ({ cell, text: cell.text.padEnd(widths[column]!) }));
    const plain = padded.map((entry) => entry.text).join('  ');
    const text = padded.map((entry) => entry.cell.paint(entry.text)).join('  ');
    return padLast ? { text, width: plain.length } : { text: text.trimEnd(), width: plain.trimEnd().length };
  });
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
