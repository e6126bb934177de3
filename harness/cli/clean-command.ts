// `harness clean [--platform p]`: removes what interrupted or kept runs left behind, by calling
// each platform's sweep, then removes the work directories whose owner is gone. Exit 3 when a
// platform could not be swept.

import type { PlatformName } from '../platform/platform.js';
import { sweepWorkDirectories } from '../shared/work-directory.js';
import { loadPlatform, parsePlatformName, platformNames } from './platform-loader.js';
import { isProcessAlive } from '../shared/is-process-alive.js';

export interface CleanFlags {
  platform?: string;
  /** Wait (bounded) for this process to end first: used by the second Ctrl-C of a run. */
  afterPid?: string;
}

const afterPidWaitMs = 60_000;

export async function cleanCommand(flags: CleanFlags, write: (text: string) => void): Promise<number> {
  const chosen: PlatformName[] = flags.platform !== undefined ? [parsePlatformName(flags.platform)] : [...platformNames];
  if (flags.afterPid !== undefined) await waitForExit(Number(flags.afterPid), afterPidWaitMs);
  let failed = false;
  for (const name of chosen) {
    try {
      const platform = await loadPlatform(name);
      const removed = await platform.sweep();
      write(removed.length === 0 ? `${name}: nothing to clean\n` : removed.map((line) => `${name}: ${line}\n`).join(''));
    } catch (error) {
      const skippable = flags.platform === undefined;
      write(`${name}: ${skippable ? 'skipped' : 'could not clean'}: ${(error as Error).message}\n`);
      if (!skippable) failed = true;
    }
  }
  const workDirectories = await sweepWorkDirectories();
  write(workDirectories.map((line) => `work directories: ${line}\n`).join(''));
  return failed ? 3 : 0;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && isProcessAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 200));
}
