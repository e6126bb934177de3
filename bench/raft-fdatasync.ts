// `npm run bench:fdatasync`: what one small write + fdatasync costs on this disk, in the three
// ways a log file can grow (fdatasync-file.ts).
//
// Flags: --iterations 2000, --record-bytes 128, --processes 1 (that many processes at once, each
// on its own file, as the three nodes of a cluster on one disk), --modes append,zeroed,fallocated,
// --dir (default: the OS temp directory; it must be on the disk under test). The modes take turns,
// one write each per iteration, so a burst of load from elsewhere hits them all alike.

import { fork } from 'node:child_process';
import { closeSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fileModes as modes, prepareFile, timeOneWrite, type FileMode as Mode } from './fdatasync-file.js';

interface Options {
  iterations: number;
  recordBytes: number;
  processes: number;
  modes: Mode[];
  directory: string;
}

interface ModeResult {
  mode: Mode;
  latencyUsP50: number;
  latencyUsP99: number;
  latencyUsMean: number;
}

function parseOptions(argv: string[]): Options & { worker: string | null } {
  const { values } = parseArgs({
    args: argv,
    options: {
      iterations: { type: 'string', default: '2000' },
      'record-bytes': { type: 'string', default: '128' },
      processes: { type: 'string', default: '1' },
      modes: { type: 'string', default: modes.join(',') },
      dir: { type: 'string', default: tmpdir() },
      worker: { type: 'string' },
    },
  });
  const integer = (flag: string, text: string) => {
    const parsed = Number(text);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${flag}: expected an integer >= 1, got "${text}"`);
    return parsed;
  };
  const chosen = values.modes.split(',').map((mode) => mode.trim());
  const unknown = chosen.filter((mode) => !(modes as readonly string[]).includes(mode));
  if (unknown.length > 0) throw new Error(`--modes: unknown ${unknown.join(', ')}; expected some of ${modes.join(', ')}`);
  return {
    iterations: integer('iterations', values.iterations),
    recordBytes: integer('record-bytes', values['record-bytes']),
    processes: integer('processes', values.processes),
    modes: chosen as Mode[],
    directory: values.dir,
    worker: values.worker ?? null,
  };
}

/** Measures every mode, one write of each in turn per iteration, so that all see the same load. */
function measureModes(options: Options, directory: string): ModeResult[] {
  const record = Buffer.alloc(options.recordBytes, 'x');
  const files = options.modes.map((mode) => ({ mode, path: join(directory, `${mode}.log`), latenciesUs: [] as number[], fd: -1 }));
  try {
    for (const file of files) file.fd = prepareFile(file.path, file.mode, options.iterations * options.recordBytes + 4096);
    for (let iteration = 0; iteration < options.iterations; iteration += 1) {
      for (const file of files) file.latenciesUs.push(timeOneWrite(file.fd, file.mode, record, iteration * record.length));
    }
  } finally {
    for (const file of files) if (file.fd >= 0) closeSync(file.fd);
  }
  return files.map(({ mode, latenciesUs }) => summarise(mode, latenciesUs));
}

function summarise(mode: Mode, latenciesUs: number[]): ModeResult {
  latenciesUs.sort((left, right) => left - right);
  const latencyUsMean = Math.round(latenciesUs.reduce((sum, latency) => sum + latency, 0) / latenciesUs.length);
  return { mode, latencyUsP50: percentile(latenciesUs, 0.5), latencyUsP99: percentile(latenciesUs, 0.99), latencyUsMean };
}

function percentile(sorted: number[], fraction: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!);
}

function runWorker(options: Options, workerIndex: string): ModeResult[] {
  const directory = mkdtempSync(join(options.directory, `raft-fdatasync-${workerIndex}-`));
  try {
    return measureModes(options, directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Runs one worker process per --processes at once; each measures every mode in turn. */
async function runProcesses(options: Options, argv: string[]): Promise<ModeResult[][]> {
  const script = fileURLToPath(import.meta.url);
  const workers = Array.from({ length: options.processes }, (_, index) =>
    new Promise<ModeResult[]>((resolve, reject) => {
      const child = fork(script, [...argv, '--worker', String(index)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.once('message', (message) => resolve(message as ModeResult[]));
      child.once('exit', (code) => reject(new Error(`fdatasync worker ${index} exited with ${code} before reporting; its error is above`)));
    }),
  );
  return Promise.all(workers);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  if (options.worker !== null) {
    const results = runWorker(options, options.worker);
    process.send?.(results, () => process.disconnect());
    return;
  }
  const results = await runProcesses(options, argv);
  process.stdout.write(`${options.iterations} writes of ${options.recordBytes} bytes + fdatasync each, ${options.processes} process(es) at once, in ${options.directory}\n`);
  process.stdout.write('| mode | process | p50 µs | p99 µs | mean µs |\n| --- | --- | --- | --- | --- |\n');
  for (const [index, result] of results.entries()) {
    for (const mode of result) process.stdout.write(`| ${mode.mode} | ${index} | ${mode.latencyUsP50} | ${mode.latencyUsP99} | ${mode.latencyUsMean} |\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
