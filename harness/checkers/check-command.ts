// `harness check <history.jsonl> [--facts facts.json] [--html out.html] [--budget-ms N] [--json]`:
// re-checks a recorded history. Exit status (SPEC sections 3 and 4): 0 valid, 1 an anomaly,
// 2 a malformed file or command line, 4 unknown.

import { readFile, writeFile } from 'node:fs/promises';
import { MalformedHistoryError } from '../history/malformed-history-error.js';
import { readHistoryFile } from '../history/parse-history.js';
import { checkHistory, type HistoryCheck } from './check-history.js';
import type { RunFacts } from './run-facts.js';
import type { Validity, Verdict } from './verdict.js';

export interface CheckCommandOptions {
  historyPath: string;
  /** JSON file with RunFacts (fault windows, final-reads time, limits). */
  factsPath?: string;
  htmlPath?: string;
  budgetMs?: number;
  json?: boolean;
  /** Where output goes; default process.stdout / process.stderr. */
  write?: (text: string) => void;
  writeError?: (text: string) => void;
}

export type CheckExitCode = 0 | 1 | 2 | 4;

export const defaultBudgetMs = 30_000;

export async function runCheckCommand(options: CheckCommandOptions): Promise<CheckExitCode> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const writeError = options.writeError ?? ((text: string) => process.stderr.write(text));
  let result: HistoryCheck;
  let facts: RunFacts | undefined;
  try {
    facts = options.factsPath === undefined ? undefined : await readFacts(options.factsPath);
    const { events, lines } = await readHistoryFile(options.historyPath);
    result = await checkHistory(events, facts, { budgetMs: options.budgetMs ?? defaultBudgetMs, fileName: options.historyPath, lines });
  } catch (error) {
    return reportInputError(error, options, write, writeError);
  }
  const exitCode = exitCodeOf(result.valid);
  if (options.htmlPath !== undefined) {
    const { renderEvidenceHtml } = await import('../report/html-evidence.js');
    await writeFile(options.htmlPath, renderEvidenceHtml({ title: options.historyPath, operations: result.operations, verdicts: result.verdicts, facts }));
  }
  if (options.json) write(`${JSON.stringify({ file: options.historyPath, valid: result.valid, exitCode, verdicts: result.verdicts }, null, 2)}\n`);
  else write(formatVerdicts(options.historyPath, result, options.htmlPath));
  return exitCode;
}

export function exitCodeOf(valid: Validity): CheckExitCode {
  return valid === true ? 0 : valid === false ? 1 : 4;
}

function reportInputError(error: unknown, options: CheckCommandOptions, write: (text: string) => void, writeError: (text: string) => void): 2 {
  const message = describeInputError(error, options.historyPath);
  if (options.json) write(`${JSON.stringify({ file: options.historyPath, valid: null, exitCode: 2, error: message }, null, 2)}\n`);
  writeError(`harness check: ${message}\n`);
  return 2;
}

function describeInputError(error: unknown, path: string): string {
  if (error instanceof MalformedHistoryError) return `${error.message}; fix the line or the program that wrote it (SPEC section 3)`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${(error as NodeJS.ErrnoException).path ?? path}: no such file; pass the path of a history.jsonl`;
  if (error instanceof FactsError) return error.message;
  throw error;
}

class FactsError extends Error {}

async function readFacts(path: string): Promise<RunFacts> {
  const text = await readFile(path, 'utf8');
  let facts: unknown;
  try {
    facts = JSON.parse(text);
  } catch (error) {
    throw new FactsError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof facts !== 'object' || facts === null || !Array.isArray((facts as RunFacts).faultWindows)) {
    throw new FactsError(`${path} faultWindows: expected an array of fault windows ({name, startNs, endNs, targets})`);
  }
  return facts as RunFacts;
}

export function formatVerdicts(path: string, result: HistoryCheck, htmlPath?: string): string {
  const lines = [`${path}: ${result.operations.length} operations`];
  for (const verdict of result.verdicts) lines.push(`  ${label(verdict.valid)} ${verdict.check}: ${verdict.summary}`);
  const first = result.verdicts.find((verdict: Verdict) => verdict.valid === false && verdict.check === 'linearizable');
  const evidence = first?.evidence?.['operations'];
  if (Array.isArray(evidence)) {
    lines.push('    operations that cannot be ordered:');
    for (const operation of evidence.slice(0, 12)) lines.push(`      ${JSON.stringify(operation)}`);
  }
  if (htmlPath !== undefined) lines.push(`  evidence page: ${htmlPath}`);
  lines.push(`${label(result.valid)} ${result.valid === true ? 'valid' : result.valid === false ? 'anomaly found' : 'unknown'}`);
  return `${lines.join('\n')}\n`;
}

function label(valid: Validity): string {
  return valid === true ? 'ok     ' : valid === false ? 'FAIL   ' : 'UNKNOWN';
}
