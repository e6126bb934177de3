// What the bug-zoo tests share: the fixtures, a run of the real CLI and its reading.

import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import { packageRoot } from '../../harness/scenario/scenario-catalog.js';

export const fixtures = path.join(packageRoot(), 'test', 'fixtures', 'bug-zoo');
/**
 * Seeds the correct server runs every scenario with. One by default, to keep the file within
 * about 2 minutes; BUG_ZOO_SEEDS=1,2,3,4,5 runs more (docs/bug-zoo.md has the measured runs).
 */
export const correctSeeds = (process.env.BUG_ZOO_SEEDS ?? '7').split(',').map(Number);
/**
 * Seeds each bug mode runs with, each required to show its anomaly; the time-to-detect printed
 * per mode is the median over them. The mode's own seed by default; the nightly run and the
 * figures in docs/bug-zoo.md use BUG_ZOO_MODE_SEEDS=1,2,3.
 */
export const modeSeeds = process.env.BUG_ZOO_MODE_SEEDS?.split(',').map(Number);
export const runTimeoutMs = 150_000;

export interface ScenarioVerdict {
  check: string;
  valid: boolean | 'unknown';
  summary: string;
  evidence?: unknown;
}

export interface RunOutput {
  summary: { exitCode: number; scenarios: { scenario: string; exitCode: number; verdicts: ScenarioVerdict[] }[] };
  tap: string;
}

export async function temporaryDirectory(t: Test): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'raft-chaos-bug-zoo-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

export async function readRun(reports: string): Promise<RunOutput> {
  const runs = await readdir(reports);
  if (runs.length !== 1) throw new Error(`expected one run directory in ${reports}, found: ${runs.join(', ') || 'none'}`);
  const runDirectory = path.join(reports, runs[0]!);
  const summary = JSON.parse(await readFile(path.join(runDirectory, 'summary.json'), 'utf8')) as RunOutput['summary'];
  return { summary, tap: await readFile(path.join(runDirectory, 'results.tap'), 'utf8') };
}

export async function timelineLines(reports: string, scenario: string): Promise<string[]> {
  const [run] = await readdir(reports);
  const text = await readFile(path.join(reports, run!, scenario, 'timeline.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line.length > 0);
}

export function describeVerdicts(verdicts: readonly ScenarioVerdict[]): string {
  return verdicts.map((verdict) => `${verdict.check}: ${verdict.valid} — ${verdict.summary}`).join('\n');
}

