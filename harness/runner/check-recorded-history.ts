// Record first, check separately: reads the written history back and runs the same checks as
// `harness check`, with the run facts. Writes the facts beside the history (so `harness check
// history.jsonl --facts facts.json` reproduces every verdict) and the HTML evidence page. A
// history the checkers cannot read is an unknown verdict.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkHistory } from '../checkers/check-history.js';
import type { RunFacts } from '../checkers/run-facts.js';
import type { Verdict } from '../checkers/verdict.js';
import { readHistoryFile } from '../history/parse-history.js';
import { renderEvidenceHtml } from '../report/html-evidence.js';
import type { ChecksPlan } from '../scenario/plan.js';

export interface RecordedHistoryCheck {
  verdicts: Verdict[];
  factsPath?: string;
  htmlPath?: string;
}

export async function checkRecordedHistory(historyPath: string, facts: RunFacts, checks: ChecksPlan, scenarioDir: string, title: string): Promise<RecordedHistoryCheck> {
  const factsPath = join(scenarioDir, 'facts.json');
  await writeFile(factsPath, `${JSON.stringify(facts, null, 2)}\n`);
  try {
    const { events, lines } = await readHistoryFile(historyPath);
    const outcome = await checkHistory(events, facts, {
      budgetMs: checks.checkerBudgetMs,
      fileName: historyPath,
      lines,
      skip: { linearizable: !checks.linearizable, noLostWrites: !checks.noLostWrites, noPhantomValues: !checks.noPhantomValues },
    });
    const htmlPath = join(scenarioDir, 'history.html');
    await writeFile(htmlPath, renderEvidenceHtml({ title, operations: outcome.operations, verdicts: outcome.verdicts, facts }));
    return { verdicts: outcome.verdicts, factsPath, htmlPath };
  } catch (error) {
    const verdict: Verdict = { check: 'history', valid: 'unknown', summary: `the history could not be checked: ${(error as Error).message}`, evidence: { history: historyPath } };
    return { verdicts: [verdict], factsPath };
  }
}
