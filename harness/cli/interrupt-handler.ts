// SIGINT (Ctrl-C), SIGTERM (a CI cancel, `timeout`) and SIGHUP (a closed terminal): the first
// aborts the run's signal, so the runner heals, tears down and reports, and the run exits with
// 128 + the signal's number; a second one starts a detached `harness clean` that waits for this
// process to end, and exits at once.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

const interruptSignals: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The exit status of a run stopped by `signal`, as shells report it (128 + the signal number). */
export const signalExitCodes = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const satisfies Record<InterruptSignal, number>;

export type InterruptExitCode = (typeof signalExitCodes)[InterruptSignal];

export interface InterruptHandler {
  signal: AbortSignal;
  /** The first signal received, or undefined while none arrived. */
  received(): InterruptSignal | undefined;
  dispose(): void;
}

export function handleInterrupts(platform: string, say: (line: string) => void): InterruptHandler {
  const controller = new AbortController();
  let first: InterruptSignal | undefined;
  const onSignal = (signal: InterruptSignal): void => {
    if (first === undefined) {
      first = signal;
      const again = signal === 'SIGINT' ? 'Ctrl-C again' : `${signal} again`;
      say(`\ninterrupted by ${signal}: healing and tearing down the cluster, then writing the reports (${again} to exit now)`);
      controller.abort(new Error(`interrupted by ${signal}`));
      return;
    }
    say(`\nexiting now; a background \`harness clean --platform ${platform}\` removes what this run left`);
    startCleanerAfterExit(platform);
    process.exit(signalExitCodes[signal]);
  };
  const listeners = interruptSignals.map((signal) => [signal, () => onSignal(signal)] as const);
  for (const [signal, listener] of listeners) process.on(signal, listener);
  return {
    signal: controller.signal,
    received: () => first,
    dispose: () => {
      for (const [signal, listener] of listeners) process.off(signal, listener);
    },
  };
}

function startCleanerAfterExit(platform: string): void {
  const bin = fileURLToPath(new URL('../../../bin/harness.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'clean', '--platform', platform, '--after-pid', String(process.pid)], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
}
