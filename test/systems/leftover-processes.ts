// Test helper: the command lines of live processes a run started (their environment carries
// the run's marker, `RAFT_CHAOS_RUN=<run id>`, whose run id starts with the lower-cased name of
// the run's reports directory), from /proc, to check a run left nothing behind.

import { readdir, readFile } from 'node:fs/promises';
import { runMarkerVariable } from '../../harness/platforms/local/run-record.js';

export async function processesOfRun(runDirectory: string): Promise<string[]> {
  const marker = `${runMarkerVariable}=${runDirectory.toLowerCase()}`;
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const environment = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (!environment.split('\0').some((variable) => variable.startsWith(marker))) continue;
    found.push((await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ').trim());
  }
  return found;
}
