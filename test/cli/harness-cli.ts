// Runs the real `bin/harness.js` as a child process, with a deadline.

import { execa } from 'execa';
import path from 'node:path';
import { packageRoot } from '../../harness/scenario/scenario-catalog.js';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runHarness(args: string[], options: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<CliResult> {
  const bin = path.join(packageRoot(), 'bin', 'harness.js');
  const result = await execa(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? packageRoot(),
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    env: { NO_COLOR: '1', ...options.env },
    killSignal: 'SIGINT',
  });
  if (result.timedOut) throw new Error(`harness ${args.join(' ')} did not finish within ${options.timeoutMs ?? 60_000} ms:\n${result.stdout}\n${result.stderr}`);
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}
