// Recognises a `harness check` command line that the full parser (program.ts) would read in only
// one way: one history file and the check flags, each at most once, every value a plain word.
// Anything else (help, `--flag=value`, a value starting with a dash, a missing or second file)
// is left to the full parser, with its messages.

import type { CheckFlags } from './check-command.js';

export interface PlainCheck {
  history: string;
  flags: CheckFlags;
}

/** `args`: the arguments after the program name (process.argv.slice(2)); null when not plain. */
export function plainCheckCommand(args: readonly string[]): PlainCheck | null {
  if (args[0] !== 'check') return null;
  const flags: CheckFlags = {};
  const seen = new Set<string>();
  const histories: string[] = [];
  const isWord = (argument: string | undefined): argument is string => argument !== undefined && argument !== '' && !argument.startsWith('-');
  for (let index = 1; index < args.length; index++) {
    const argument = args[index]!;
    if (isWord(argument)) {
      histories.push(argument);
      continue;
    }
    if (seen.has(argument)) return null;
    seen.add(argument);
    if (argument === '--json') flags.json = true;
    else if (argument === '--html') flags.html = isWord(args[index + 1]) ? args[++index]! : true;
    else if (argument === '--facts' || argument === '--budget-ms') {
      const value = args[++index];
      if (!isWord(value)) return null;
      if (argument === '--facts') flags.facts = value;
      else flags.budgetMs = value;
    } else return null;
  }
  return histories.length === 1 ? { history: histories[0]!, flags } : null;
}
