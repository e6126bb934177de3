// `npm run bench:check`: times the whole `harness check <history.jsonl>` process (Node start-up,
// parsing, checking) on seeded generated histories, valid and with one stale read, with its CPU
// time and peak RSS. For the 1M-operation histories it also times the parse floor on the same
// file (reading it line by line and JSON.parse of every line, bench/parse-floor.ts): the target
// there is relative to that floor, measured in the same run.
// BENCH_REPEATS (default 3) runs per case; BENCH_CASES, a substring of case names, picks cases.

import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HistoryEvent } from '../harness/history/history-event.js';
import { generateHistory } from '../harness/history/generate-history.js';
import { findResourceUsageLine } from './resource-usage-line.js';

interface BenchCase {
  name: string;
  operations: number;
  keys: number;
  clients: number;
  anomaly: 'none' | 'stale-read';
  /** Operation mix; default reads 50 %, writes 30 %, cas 20 %. */
  mix?: { read: number; write: number; cas: number; delete: number };
  /** Porcupine on the same machine, for comparison. */
  reference: string;
  /** Wall-clock target in seconds, or relative to the parse floor of the same file. */
  target: { seconds: number } | { floorFactor: number; peakMbMax: number };
}

const withDeletes = { read: 0.45, write: 0.25, cas: 0.15, delete: 0.15 };
const nearParseFloor = { floorFactor: 1.3, peakMbMax: 400 };

const cases: BenchCase[] = [
  { name: '1k ops, 10 keys, 5 clients', operations: 1_000, keys: 10, clients: 5, anomaly: 'none', reference: '-', target: { seconds: 2 } },
  { name: '1k ops, 10 keys, 5 clients', operations: 1_000, keys: 10, clients: 5, anomaly: 'stale-read', reference: '-', target: { seconds: 2 } },
  { name: '10k ops, 10 keys, 5 clients', operations: 10_000, keys: 10, clients: 5, anomaly: 'none', reference: '0.07 s', target: { seconds: 0.07 } },
  { name: '10k ops, 10 keys, 5 clients', operations: 10_000, keys: 10, clients: 5, anomaly: 'stale-read', reference: '-', target: { seconds: 2 } },
  { name: '100k ops, 10 keys, 5 clients', operations: 100_000, keys: 10, clients: 5, anomaly: 'none', reference: '0.9 s', target: { seconds: 0.9 } },
  { name: '100k ops, 10 keys, 5 clients', operations: 100_000, keys: 10, clients: 5, anomaly: 'stale-read', reference: 'unknown after 30 s', target: { seconds: 2 } },
  { name: '10k ops, 1 key, 10 clients', operations: 10_000, keys: 1, clients: 10, anomaly: 'none', reference: '0.64 s', target: { seconds: 0.64 } },
  { name: '10k ops, 1 key, 10 clients', operations: 10_000, keys: 1, clients: 10, anomaly: 'stale-read', reference: 'unknown after 30 s', target: { seconds: 2 } },
  { name: '10k ops, 1 key, 10 clients, 15 % deletes', operations: 10_000, keys: 1, clients: 10, anomaly: 'none', mix: withDeletes, reference: '-', target: { seconds: 2 } },
  { name: '10k ops, 1 key, 10 clients, 15 % deletes', operations: 10_000, keys: 1, clients: 10, anomaly: 'stale-read', mix: withDeletes, reference: '-', target: { seconds: 2 } },
  { name: '1M ops, 100 keys, 20 clients', operations: 1_000_000, keys: 100, clients: 20, anomaly: 'none', reference: '10.0 s, 1.16 GB', target: nearParseFloor },
  { name: '1M ops, 100 keys, 20 clients', operations: 1_000_000, keys: 100, clients: 20, anomaly: 'stale-read', reference: '-', target: nearParseFloor },
];

const repeats = Number(process.env['BENCH_REPEATS'] ?? 3);
const only = process.env['BENCH_CASES'];
const root = fileURLToPath(new URL('../../', import.meta.url));
const harness = join(root, 'bin/harness.js');
const parseFloor = fileURLToPath(new URL('./parse-floor.js', import.meta.url));
const resourceHook = new URL('./report-resource-usage.js', import.meta.url).href;

interface Timing {
  wallS: number;
  cpuS: number | null;
  peakMb: number | null;
  exitCode: number | null;
}

/** One run of `node <args>` with its wall time, and the CPU time and peak RSS it reports at exit. */
function timeOnce(args: string[]): Timing {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', resourceHook, ...args], { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const usage = findResourceUsageLine(result.stderr ?? '');
  if (usage === null) return { wallS, cpuS: null, peakMb: null, exitCode: result.status };
  return { wallS, cpuS: usage.userS + usage.systemS, peakMb: usage.maxRssKb / 1024, exitCode: result.status };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function medianTiming(runs: Timing[]): { wallS: number; cpuS: number | null; peakMb: number | null } {
  const known = (pick: (run: Timing) => number | null) => (runs.every((run) => pick(run) !== null) ? median(runs.map((run) => pick(run)!)) : null);
  return { wallS: median(runs.map((run) => run.wallS)), cpuS: known((run) => run.cpuS), peakMb: known((run) => run.peakMb) };
}

/** Writes the history in pieces: one string of a 1M-operation history is close to V8's limit. */
function writeHistory(path: string, events: readonly HistoryEvent[]): void {
  writeFileSync(path, '');
  for (let start = 0; start < events.length; start += 50_000) {
    appendFileSync(path, `${events.slice(start, start + 50_000).map((event) => JSON.stringify(event)).join('\n')}\n`);
  }
}

function main(): void {
  const directory = mkdtempSync(join(tmpdir(), 'raft-chaos-check-bench-'));
  console.log(`timing \`node bin/harness.js check <history.jsonl>\`, median of ${repeats} runs; load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} on this machine`);
  const startup = medianTiming(Array.from({ length: repeats }, () => timeOnce(['-e', '0'])));
  console.log(`Node start-up alone (\`node -e 0\`): ${startup.wallS.toFixed(2)} s, ${formatMb(startup.peakMb)} MB, the floor of every row`);
  const rows: string[][] = [['case', 'history', 'expected', 'exit', 'wall s', 'cpu s', 'peak MB', 'parse floor s', 'porcupine', 'target', '']];
  let wrong = 0;
  try {
    cases.forEach((benchCase, index) => {
      if (only !== undefined && !`${benchCase.name} ${benchCase.anomaly}`.includes(only)) return;
      const file = join(directory, `case-${index}.jsonl`);
      writeHistory(file, generateHistory({ seed: 1000 + index, operations: benchCase.operations, keys: benchCase.keys, clients: benchCase.clients, anomaly: benchCase.anomaly, infoRate: 0.005, ...(benchCase.mix ? { mix: benchCase.mix } : {}) }));
      const row = benchRow(benchCase, file);
      if (row.wrongVerdict) wrong++;
      rows.push(row.cells);
      rmSync(file, { force: true });
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  printTable(rows);
  if (wrong > 0) {
    console.error(`${wrong} cases gave the wrong verdict`);
    process.exitCode = 1;
  }
}

/** Times the check of `file` (and its parse floor when the target is relative to it), interleaved run by run. */
function benchRow(benchCase: BenchCase, file: string): { cells: string[]; wrongVerdict: boolean } {
  const relative = 'floorFactor' in benchCase.target;
  const checks: Timing[] = [];
  const floors: Timing[] = [];
  for (let run = 0; run < repeats; run++) {
    if (relative) floors.push(timeOnce([parseFloor, file]));
    checks.push(timeOnce([harness, 'check', file]));
  }
  const expected = benchCase.anomaly === 'none' ? 0 : 1;
  const check = medianTiming(checks);
  const floor = relative ? medianTiming(floors) : null;
  const [target, met] = judge(benchCase.target, check, floor);
  const cells = [benchCase.name, benchCase.anomaly === 'none' ? 'valid' : 'one stale read', String(expected), String(checks[0]!.exitCode), check.wallS.toFixed(2), check.cpuS?.toFixed(2) ?? '-', formatMb(check.peakMb), floor === null ? '-' : `${floor.wallS.toFixed(2)} (${formatMb(floor.peakMb)} MB)`, benchCase.reference, target, met ? 'met' : 'missed'];
  return { cells, wrongVerdict: checks.some((run) => run.exitCode !== expected) };
}

function judge(target: BenchCase['target'], check: { wallS: number; peakMb: number | null }, floor: { wallS: number } | null): [string, boolean] {
  if ('seconds' in target) return [`${target.seconds} s`, check.wallS <= target.seconds];
  const limitS = target.floorFactor * floor!.wallS;
  const text = `${target.floorFactor}x floor = ${limitS.toFixed(2)} s (now ${(check.wallS / floor!.wallS).toFixed(2)}x), < ${target.peakMbMax} MB`;
  return [text, check.wallS <= limitS && check.peakMb !== null && check.peakMb < target.peakMbMax];
}

function formatMb(megabytes: number | null): string {
  return megabytes === null ? '-' : megabytes.toFixed(0);
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  '));
}

main();
