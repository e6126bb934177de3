// Record first, check separately: reads the written history back and runs the same checks as
// `harness check`, with the run facts, then the node-log checks. Writes the facts beside the
// history (which checks ran and their budget included, so `harness check history.jsonl --logs
// logs` reproduces every verdict) and the HTML evidence page with every verdict of the scenario.
// A history the checkers cannot read is an unknown verdict.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkHistoryFile } from '../checkers/check-history-file.js';
import type { RunFacts } from '../checkers/run-facts.js';
import type { Verdict } from '../checkers/verdict.js';
import { renderEvidenceHtml } from '../report/html-evidence.js';
import { pageOperations } from '../report/page-operations.js';
import { checkNodeLogs } from './check-node-logs.js';

export interface RecordedHistoryCheck {
  verdicts: Verdict[];
  factsPath?: string;
  htmlPath?: string;
}

export interface RecordedRun {
  historyPath: string;
  facts: RunFacts;
  logPaths: readonly string[];
  scenarioDir: string;
  title: string;
}

export async function checkRecordedHistory(run: RecordedRun): Promise<RecordedHistoryCheck> {
  const factsPath = join(run.scenarioDir, 'facts.json');
  await writeFile(factsPath, `${JSON.stringify(run.facts, null, 2)}\n`);
  const nodeLogVerdicts = await checkNodeLogs(run.logPaths);
  try {
    const outcome = await checkHistoryFile(run.historyPath, run.facts, { budgetMs: run.facts.checks?.budgetMs ?? 30_000, keepOperations: true });
    const verdicts = [...outcome.verdicts, ...nodeLogVerdicts];
    const htmlPath = join(run.scenarioDir, 'history.html');
    await writeFile(htmlPath, renderEvidenceHtml({ title: run.title, ...(await pageOperations(outcome, verdicts)), operationCount: outcome.operationCount, verdicts, facts: run.facts }));
    return { verdicts, factsPath, htmlPath };
  } catch (error) {
    const verdict: Verdict = { check: 'history', valid: 'unknown', summary: `the history could not be checked: ${(error as Error).message}`, evidence: { history: run.historyPath } };
    return { verdicts: [verdict, ...nodeLogVerdicts], factsPath };
  }
}
