// Writes results.tap and summary.json into the run's report directory. Written after every
// scenario (each write replaces the last), so an interrupted run still leaves its reports.

import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult } from './scenario-result.js';
import { buildRunSummary, type RunFacts } from './run-summary.js';
import { formatTap } from './tap-report.js';

export interface WrittenReport {
  tap: string;
  summary: string;
}

export async function writeRunReport(run: RunResult, facts: RunFacts): Promise<WrittenReport> {
  await mkdir(run.reportDir, { recursive: true });
  const tap = path.join(run.reportDir, 'results.tap');
  const summary = path.join(run.reportDir, 'summary.json');
  await writeAtomically(tap, formatTap(run.scenarios, facts.unsupported));
  await writeAtomically(summary, `${JSON.stringify(buildRunSummary(run, facts), null, 2)}\n`);
  return { tap, summary };
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content, 'utf8');
  await rename(temporary, file);
}
