// The one parser of `harness check` (node:util parseArgs: no command-line library to load before
// a check, whose start-up is most of its time when scripted over many files).

import { parseArgs } from 'node:util';

export const checkUsage = `Usage: harness check <history.jsonl> [--facts facts.json] [--logs DIR] [--html [out.html]] [--budget-ms N] [--json]
  re-checks a recorded history, whoever wrote it; exit 0 valid, 1 anomaly, 2 malformed, 4 unknown
  --facts FILE     run facts (fault windows, checks that ran, budget); default: facts.json beside the history
  --logs DIR       node logs to re-run the node-log checks on (a report's logs/ directory)
  --html [FILE]    also write the evidence page (default: the history's name with .html)
  --budget-ms N    time budget of the linearizability search; past it the verdict is unknown
  --json           print the verdicts as JSON`;

export interface CheckArguments {
  historyPath: string;
  factsPath?: string;
  logsDir?: string;
  htmlPath?: string;
  budgetMs?: number;
  json: boolean;
}

export type ParsedCheckArguments = { help: true } | { help: false; options: CheckArguments } | { help: false; error: string };

/** `args`: what follows `check` on the command line. */
export function parseCheckArguments(args: readonly string[]): ParsedCheckArguments {
  let parsed;
  try {
    parsed = parseArgs({ args: withHtmlValue(args), allowPositionals: true, strict: true, options: checkOptions });
  } catch (error) {
    return { help: false, error: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { help: true };
  if (positionals.length !== 1) return { help: false, error: positionals.length === 0 ? 'missing the history file' : `expected one history file, got ${positionals.length}: ${positionals.join(' ')}` };
  const historyPath = positionals[0]!;
  const options: CheckArguments = { historyPath, json: values.json === true };
  const budgetText = values['budget-ms'];
  if (budgetText !== undefined) {
    const budgetMs = Number(budgetText);
    if (budgetText.trim() === '' || !Number.isFinite(budgetMs) || budgetMs <= 0) return { help: false, error: `--budget-ms: expected a positive number of milliseconds, got ${budgetText}` };
    options.budgetMs = budgetMs;
  }
  if (values.facts !== undefined) options.factsPath = values.facts;
  if (values.logs !== undefined) options.logsDir = values.logs;
  if (values.html !== undefined) options.htmlPath = values.html === '' ? historyPath.replace(/(\.jsonl)?$/, '.html') : values.html;
  return { help: false, options };
}

const checkOptions = {
  facts: { type: 'string' },
  logs: { type: 'string' },
  html: { type: 'string' },
  'budget-ms': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * `--html` takes an optional value, which parseArgs does not know: a bare `--html` (last, or
 * before another option) becomes `--html=`, meaning next to the history.
 */
function withHtmlValue(args: readonly string[]): string[] {
  return args.map((argument, index) => (argument === '--html' && (args[index + 1] === undefined || args[index + 1]!.startsWith('-')) ? '--html=' : argument));
}
