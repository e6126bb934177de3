// Every process group a benchmark or a test cluster started, killed with SIGKILL when this process
// exits for any reason, including Ctrl-C (SIGINT), SIGTERM and SIGHUP, so nothing outlives it; and
// the temporary directories it made, removed on an interrupted exit.

import { rmSync } from 'node:fs';
import { signalGroup } from '../../shared/process-group.js';

const groups = new Set<number>();
const directories = new Set<string>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', killAllProcessGroups);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: killing ${groups.size} process group(s) started here, removing ${directories.size} temporary dir(s), exiting\n`);
      killAllProcessGroups();
      for (const directory of directories) rmSync(directory, { recursive: true, force: true });
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

export function killProcessGroupOnExit(pid: number): void {
  install();
  groups.add(pid);
}

export function forgetProcessGroup(pid: number): void {
  groups.delete(pid);
}

/** Removes the directory if the process is interrupted; `forgetDirectory` once it is dealt with. */
export function removeDirectoryOnInterrupt(path: string): void {
  install();
  directories.add(path);
}

export function forgetDirectory(path: string): void {
  directories.delete(path);
}

export function killAllProcessGroups(): void {
  for (const pid of groups) {
    signalGroup(pid, 'SIGKILL');
  }
  groups.clear();
}
