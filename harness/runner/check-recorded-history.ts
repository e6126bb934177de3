// Record first, check separately: reads the written history back and runs the same checks as
// `harness check`, with the run facts. A history the checkers cannot read is an unknown verdict.

import { checkHistory } from '../checkers/check-history.js';
import type { RunFacts } from '../checkers/run-facts.js';
import type { Verdict } from '../checkers/verdict.js';
import { readHistoryFile } from '../history/parse-history.js';
import type { ChecksPlan } from '../scenario/plan.js';

export async function checkRecordedHistory(historyPath: string, facts: RunFacts, checks: ChecksPlan): Promise<Verdict[]> {
  try {
    const { events, lines } = await readHistoryFile(historyPath);
    const outcome = await checkHistory(events, facts, {
      budgetMs: checks.checkerBudgetMs,
      fileName: historyPath,
      lines,
      skip: { linearizable: !checks.linearizable, noLostWrites: !checks.noLostWrites, noPhantomValues: !checks.noPhantomValues },
    });
    return outcome.verdicts;
  } catch (error) {
    return [{ check: 'history', valid: 'unknown', summary: `the history could not be checked: ${(error as Error).message}`, evidence: { history: historyPath } }];
  }
}
