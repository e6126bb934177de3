// `harness check <history.jsonl> …`: re-checks a recorded history with the pure checkers and
// reports as SPEC sections 3 and 4 say: 0 valid, 1 an anomaly, 2 a malformed file or command
// line (one line naming the path and what to do), 4 unknown. With a run's facts.json (beside the
// history unless --facts names one) and its node logs (--logs) it reproduces every verdict of the
// run: the same checks it ran, with the same budget.

import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { HistoryCheck } from '../checkers/check-history.js';
import { checkHistoryFile } from '../checkers/check-history-file.js';
import type { RunFacts } from '../checkers/run-facts.js';
import { composeValidity } from '../checkers/verdict.js';
import { MalformedHistoryError } from '../history/malformed-history-error.js';
import { formatVerdicts, validityExitCode } from '../report/format-verdicts.js';
import { checkUsage, parseCheckArguments, type CheckArguments } from './check-arguments.js';

export interface CheckOutput {
  write: (text: string) => void;
  writeError: (text: string) => void;
}

const standardOutput: CheckOutput = { write: (text) => process.stdout.write(text), writeError: (text) => process.stderr.write(text) };

export const defaultBudgetMs = 30_000;

/** `args`: what follows `check` on the command line. Returns the exit status. */
export async function checkCommand(args: readonly string[], output: CheckOutput = standardOutput): Promise<number> {
  const parsed = parseCheckArguments(args);
  if (parsed.help) {
    output.write(`${checkUsage}\n`);
    return 0;
  }
  if ('error' in parsed) {
    output.writeError(`harness check: ${parsed.error}\n${checkUsage}\n`);
    return 2;
  }
  try {
    return await check(parsed.options, output);
  } catch (error) {
    if (!(error instanceof CheckInputError)) throw error;
    if (parsed.options.json) output.write(`${JSON.stringify({ file: parsed.options.historyPath, valid: null, exitCode: 2, error: error.message }, null, 2)}\n`);
    output.writeError(`harness check: ${error.message}\n`);
    return 2;
  }
}

async function check(options: CheckArguments, output: CheckOutput): Promise<number> {
  const factsPath = options.factsPath ?? (await factsBeside(options.historyPath));
  const facts = factsPath === undefined ? undefined : await readFacts(factsPath);
  const budgetMs = options.budgetMs ?? facts?.checks?.budgetMs ?? defaultBudgetMs;
  // Streamed: memory stays bounded; for the evidence page a large history is read again.
  const result = await readInput(options.historyPath, 'the history', () => checkHistoryFile(options.historyPath, facts, { budgetMs, keepOperations: options.htmlPath !== undefined }));
  if (options.logsDir !== undefined) result.verdicts.push(...(await nodeLogVerdicts(options.logsDir)));
  result.valid = composeValidity(result.verdicts.map((verdict) => verdict.valid));
  if (options.htmlPath !== undefined) await writeHtml(options.htmlPath, options.historyPath, result, facts);
  const exitCode = validityExitCode(result.valid);
  if (options.json) output.write(`${JSON.stringify({ file: options.historyPath, facts: factsPath ?? null, valid: result.valid, exitCode, verdicts: result.verdicts }, null, 2)}\n`);
  else output.write(formatVerdicts({ path: options.historyPath, result, factsPath, htmlPath: options.htmlPath }));
  return exitCode;
}

/** A bad path or file given to `check`: exit 2 with this one line. */
class CheckInputError extends Error {}

async function factsBeside(historyPath: string): Promise<string | undefined> {
  const path = join(dirname(historyPath), 'facts.json');
  return access(path).then(
    () => path,
    () => undefined,
  );
}

async function readInput<T>(path: string, what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof MalformedHistoryError) rethrowMalformed(error);
    throw new CheckInputError(describeFileError(error, path, what));
  }
}

function rethrowMalformed(error: unknown): never {
  if (error instanceof MalformedHistoryError) throw new CheckInputError(`${error.message}; fix the line or the program that wrote it (SPEC section 3)`);
  throw error;
}

function describeFileError(error: unknown, path: string, what: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path}: no such file or directory; pass the path of ${what}`;
  if (code === 'EISDIR') return `${path} is a directory; pass ${what} inside it (a report keeps it at reports/<run>/<scenario>/)`;
  if (code === 'EACCES' || code === 'EPERM') return `${path}: permission denied; make it readable or copy it somewhere you can read`;
  if (code !== undefined) return `${path}: cannot read ${what} (${code}); pass a readable file`;
  throw error;
}

async function readFacts(path: string): Promise<RunFacts> {
  const text = await readInput(path, 'a facts.json', () => readFile(path, 'utf8'));
  let facts: unknown;
  try {
    facts = JSON.parse(text);
  } catch (error) {
    throw new CheckInputError(`${path}: not valid JSON (${(error as Error).message}); pass the facts.json a run wrote`);
  }
  if (typeof facts !== 'object' || facts === null || !Array.isArray((facts as RunFacts).faultWindows)) {
    throw new CheckInputError(`${path} faultWindows: expected an array of fault windows ({name, startNs, endNs, targets})`);
  }
  return facts as RunFacts;
}

async function nodeLogVerdicts(directory: string) {
  const names = await readInput(directory, 'a directory of node logs', () => readdir(directory, { withFileTypes: true }));
  const logs: Record<string, string> = {};
  for (const entry of names.filter((name) => name.isFile())) logs[entry.name] = await readInput(join(directory, entry.name), 'a node log', () => readFile(join(directory, entry.name), 'utf8'));
  const { checkNodeLogTexts } = await import('../checkers/check-node-log-texts.js');
  return checkNodeLogTexts(logs);
}

async function writeHtml(htmlPath: string, title: string, result: HistoryCheck, facts: RunFacts | undefined): Promise<void> {
  const { renderEvidenceHtml } = await import('../report/html-evidence.js');
  const { pageOperations } = await import('../report/page-operations.js');
  const page = renderEvidenceHtml({ title, ...(await pageOperations(result, result.verdicts)), operationCount: result.operationCount, verdicts: result.verdicts, facts });
  await writeFile(htmlPath, page).catch((error: NodeJS.ErrnoException) => {
    throw new CheckInputError(`cannot write the evidence page ${htmlPath} (${error.code ?? error.message}); pass --html a file in a directory you can write`);
  });
}
