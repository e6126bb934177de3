// Election safety from the node logs the run collected: at most one leader per term. Applies to
// servers that log their elections as the reference server does; for a server whose logs name no
// leader with a term the check does not apply and gives no verdict.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { checkOneLeaderPerTerm, leaderClaims } from '../checkers/one-leader-per-term-checker.js';
import type { Verdict } from '../checkers/verdict.js';

export async function checkLeadersInLogs(logPaths: readonly string[]): Promise<Verdict | undefined> {
  const logs: Record<string, string> = {};
  for (const path of logPaths) {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined) logs[basename(path)] = text;
  }
  const anyClaim = Object.entries(logs).some(([name, text]) => leaderClaims(name, text).length > 0);
  return anyClaim ? checkOneLeaderPerTerm(logs) : undefined;
}
