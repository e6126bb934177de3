// Every process group a benchmark started, killed with SIGKILL when this process exits for any
// reason, including Ctrl-C (SIGINT) and SIGTERM, so nothing outlives the benchmark.

const groups = new Set<number>();
let installed = false;

export function killProcessGroupOnExit(pid: number): void {
  groups.add(pid);
  if (installed) return;
  installed = true;
  process.once('exit', killAllProcessGroups);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: killing ${groups.size} process group(s) started here, then exiting\n`);
      killAllProcessGroups();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

export function forgetProcessGroup(pid: number): void {
  groups.delete(pid);
}

export function killAllProcessGroups(): void {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  groups.clear();
}
