// `npm run bench:check`: times the whole `harness check <history.jsonl>` process (Node start-up,
// parsing, checking) on seeded generated histories, valid and with one stale read.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatHistory, generateHistory } from '../harness/history/generate-history.js';

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
  targetS: number;
}

const withDeletes = { read: 0.45, write: 0.25, cas: 0.15, delete: 0.15 };

const cases: BenchCase[] = [
  { name: '1k ops, 10 keys, 5 clients', operations: 1_000, keys: 10, clients: 5, anomaly: 'none', reference: '-', targetS: 2 },
  { name: '1k ops, 10 keys, 5 clients', operations: 1_000, keys: 10, clients: 5, anomaly: 'stale-read', reference: '-', targetS: 2 },
  { name: '10k ops, 10 keys, 5 clients', operations: 10_000, keys: 10, clients: 5, anomaly: 'none', reference: '0.07 s', targetS: 0.07 },
  { name: '10k ops, 10 keys, 5 clients', operations: 10_000, keys: 10, clients: 5, anomaly: 'stale-read', reference: '-', targetS: 2 },
  { name: '100k ops, 10 keys, 5 clients', operations: 100_000, keys: 10, clients: 5, anomaly: 'none', reference: '0.9 s', targetS: 0.9 },
  { name: '100k ops, 10 keys, 5 clients', operations: 100_000, keys: 10, clients: 5, anomaly: 'stale-read', reference: 'unknown after 30 s', targetS: 2 },
  { name: '10k ops, 1 key, 10 clients', operations: 10_000, keys: 1, clients: 10, anomaly: 'none', reference: '0.64 s', targetS: 0.64 },
  { name: '10k ops, 1 key, 10 clients', operations: 10_000, keys: 1, clients: 10, anomaly: 'stale-read', reference: 'unknown after 30 s', targetS: 2 },
  { name: '10k ops, 1 key, 10 clients, 15 % deletes', operations: 10_000, keys: 1, clients: 10, anomaly: 'none', mix: withDeletes, reference: '-', targetS: 2 },
  { name: '10k ops, 1 key, 10 clients, 15 % deletes', operations: 10_000, keys: 1, clients: 10, anomaly: 'stale-read', mix: withDeletes, reference: '-', targetS: 2 },
];

const repeats = Number(process.env['BENCH_REPEATS'] ?? 3);
const root = fileURLToPath(new URL('../../', import.meta.url));

function checkCommand(): { command: string[]; label: string } {
  return { command: [join(root, 'bin/harness.js'), 'check'], label: 'node bin/harness.js check' };
}

function timeOnce(command: string[], file: string): { wallS: number; cpuS: number | null; exitCode: number | null } {
  const useTime = existsSync('/usr/bin/time');
  const argv = useTime ? ['/usr/bin/time', '-f', 'cpu %U %S', process.execPath, ...command, file] : [process.execPath, ...command, file];
  const started = process.hrtime.bigint();
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 120_000 });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr ?? '');
  return { wallS, cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : null, exitCode: result.status };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function main(): void {
  const directory = mkdtempSync(join(tmpdir(), 'raft-chaos-check-bench-'));
  const { command, label } = checkCommand();
  console.log(`timing \`${label} <history.jsonl>\`, median of ${repeats} runs; load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} on this machine`);
  const floor = median(Array.from({ length: repeats }, () => timeOnce(['-e', '0'], '').wallS));
  console.log(`Node start-up alone (\`node -e 0\`): ${floor.toFixed(2)} s, the floor of every row`);
  const rows: string[][] = [['case', 'history', 'expected', 'exit', 'wall s', 'cpu s', 'porcupine', 'target s', '']];
  let wrong = 0;
  try {
    cases.forEach((benchCase, index) => {
      const file = join(directory, `case-${index}.jsonl`);
      writeFileSync(file, formatHistory(generateHistory({ seed: 1000 + index, operations: benchCase.operations, keys: benchCase.keys, clients: benchCase.clients, anomaly: benchCase.anomaly, infoRate: 0.005, ...(benchCase.mix ? { mix: benchCase.mix } : {}) })));
      const runs = Array.from({ length: repeats }, () => timeOnce(command, file));
      const expected = benchCase.anomaly === 'none' ? 0 : 1;
      const exitCode = runs[0]!.exitCode;
      if (runs.some((run) => run.exitCode !== expected)) wrong++;
      const wallS = median(runs.map((run) => run.wallS));
      const cpu = runs.every((run) => run.cpuS !== null) ? median(runs.map((run) => run.cpuS!)).toFixed(2) : '-';
      rows.push([benchCase.name, benchCase.anomaly === 'none' ? 'valid' : 'one stale read', String(expected), String(exitCode), wallS.toFixed(2), cpu, benchCase.reference, String(benchCase.targetS), wallS <= benchCase.targetS ? 'met' : 'missed']);
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

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  '));
}

main();
