// `npx harness …`: the command line (program.ts). `harness check …` goes straight to the check
// command and its own small parser (check-arguments.ts), without loading commander or any scenario
// code: re-checking a file is often scripted over many files, and the start-up is most of its time. Exit status (SPEC section 4): 0 passed, 1 a check failed, 2 bad scenario or command
// line, 3 platform error, 4 unknown verdict; 130 / 143 / 129 after SIGINT / SIGTERM / SIGHUP.

import { runAction } from './run-action.js';

/** Output piped into `head` must not kill a run before it has torn its cluster down. */
function ignoreClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

/**
 * Ends the process (with process.exitCode) once stdout and stderr have taken everything written.
 * A check leaves nothing else to wait for, but a normal exit would first wait 10-25 ms for V8's
 * background work (optimising compiles, heap sweeping) to finish.
 */
function exitWhenFlushed(): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit()));
}

export async function main(argv: string[]): Promise<void> {
  ignoreClosedOutput();
  if (argv[2] === 'check') {
    await runAction(async () => {
      const { checkCommand } = await import('./check-command.js');
      return checkCommand(argv.slice(3));
    });
    exitWhenFlushed();
    return;
  }
  const { runProgram } = await import('./program.js');
  await runProgram(argv);
}

await main(process.argv);
