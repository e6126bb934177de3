// Checks read from the node logs the run collected, for servers that log as the reference
// server does: election safety (one leader per term) and the leader's commit rule. A check whose
// lines no log has does not apply and gives no verdict.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { checkLeaderCommitRule } from '../checkers/leader-commit-rule-checker.js';
import { checkOneLeaderPerTerm, leaderClaims } from '../checkers/one-leader-per-term-checker.js';
import type { Verdict } from '../checkers/verdict.js';

export async function checkNodeLogs(logPaths: readonly string[]): Promise<Verdict[]> {
  const logs: Record<string, string> = {};
  for (const path of logPaths) {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined) logs[basename(path)] = text;
  }
  const verdicts: Verdict[] = [];
  const anyClaim = Object.entries(logs).some(([name, text]) => leaderClaims(name, text).length > 0);
  if (anyClaim) verdicts.push(checkOneLeaderPerTerm(logs));
  const commitRule = checkLeaderCommitRule(logs);
  if (commitRule !== undefined) verdicts.push(commitRule);
  return verdicts;
}
