// `harness check <history.jsonl>`: hands over to the checkers' lean entry point
// (harness/checkers/check-main.ts), which loads only history and checker code.

export interface CheckFlags {
  html?: string | boolean;
  facts?: string;
  budgetMs?: string;
  json?: boolean;
}

/** `--html` alone writes the view next to the history: `history.jsonl` -> `history.html`. */
export function checkArguments(history: string, flags: CheckFlags): string[] {
  const argv = [history];
  if (flags.html !== undefined && flags.html !== false) {
    argv.push('--html', typeof flags.html === 'string' ? flags.html : history.replace(/(\.jsonl)?$/, '.html'));
  }
  if (flags.facts !== undefined) argv.push('--facts', flags.facts);
  if (flags.budgetMs !== undefined) argv.push('--budget-ms', flags.budgetMs);
  if (flags.json === true) argv.push('--json');
  return argv;
}

export async function checkCommand(history: string, flags: CheckFlags): Promise<number> {
  const { checkMain } = await import('../checkers/check-main.js');
  return checkMain(checkArguments(history, flags));
}
