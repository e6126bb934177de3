// Lean entry point of `harness check`: loads only the history and checker code, so the CLI can
// import it without starting any platform code. Usable on its own:
//   node dist/harness/checkers/check-main.js <history.jsonl> [--facts f.json] [--html out.html] [--budget-ms N] [--json]

import { pathToFileURL } from 'node:url';
import { runCheckCommand, type CheckCommandOptions, type CheckExitCode } from './check-command.js';

export const checkUsage = 'usage: harness check <history.jsonl> [--facts facts.json] [--html out.html] [--budget-ms N] [--json]';

/** Parses `harness check` arguments; a string is the error to print (exit 2). */
export function parseCheckArguments(argv: readonly string[]): CheckCommandOptions | string {
  const positional: string[] = [];
  const options: Partial<CheckCommandOptions> = {};
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const value = () => argv[++index];
    if (argument === '--json') options.json = true;
    else if (argument === '--html') options.htmlPath = value();
    else if (argument === '--facts') options.factsPath = value();
    else if (argument === '--budget-ms') {
      const text = value();
      const budgetMs = Number(text);
      if (!Number.isFinite(budgetMs) || budgetMs <= 0) return `--budget-ms: expected a positive number of milliseconds, got ${text ?? 'nothing'}`;
      options.budgetMs = budgetMs;
    } else if (argument.startsWith('--')) return `unknown option ${argument}`;
    else positional.push(argument);
  }
  if (options.htmlPath === undefined && argv.includes('--html')) return '--html: expected an output file';
  if (options.factsPath === undefined && argv.includes('--facts')) return '--facts: expected a facts.json file';
  if (positional.length !== 1) return positional.length === 0 ? 'missing the history file' : `expected one history file, got ${positional.length}`;
  return { ...options, historyPath: positional[0]! };
}

export async function checkMain(argv: readonly string[]): Promise<CheckExitCode> {
  const parsed = parseCheckArguments(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`harness check: ${parsed}\n${checkUsage}\n`);
    return 2;
  }
  return runCheckCommand(parsed);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await checkMain(process.argv.slice(2));
}
