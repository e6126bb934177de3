// Ctrl-C: the first SIGINT aborts the run's signal, so the runner heals, tears down and reports;
// the second starts a detached `harness clean` that waits for this process to end, and exits.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface InterruptHandler {
  signal: AbortSignal;
  dispose(): void;
}

export function handleInterrupts(platform: string, say: (line: string) => void): InterruptHandler {
  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      say('\ninterrupted: healing and tearing down the cluster, then writing the reports (Ctrl-C again to exit now)');
      controller.abort(new Error('interrupted by SIGINT'));
      return;
    }
    say(`\nexiting now; a background \`harness clean --platform ${platform}\` removes what this run left`);
    startCleanerAfterExit(platform);
    process.exit(130);
  };
  process.on('SIGINT', onInterrupt);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onInterrupt) };
}

function startCleanerAfterExit(platform: string): void {
  const bin = fileURLToPath(new URL('../../../bin/harness.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'clean', '--platform', platform, '--after-pid', String(process.pid)], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
}
