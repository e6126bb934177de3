// The node-log checks (harness/checkers/check-node-log-texts.ts) on the log files a run collected.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { checkNodeLogTexts } from '../checkers/check-node-log-texts.js';
import type { Verdict } from '../checkers/verdict.js';

export async function checkNodeLogs(logPaths: readonly string[]): Promise<Verdict[]> {
  const logs: Record<string, string> = {};
  for (const path of logPaths) {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined) logs[basename(path)] = text;
  }
  return checkNodeLogTexts(logs);
}
