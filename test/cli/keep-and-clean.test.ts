// `harness run --keep`: the harness exits, the cluster stays usable (links direct, no proxy in
// the harness), the output says how to reach and remove it, and `harness clean` finds it and
// removes its processes, run record and work directory.

import t from 'tap';
import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RaftClient } from '../../raft/client/raft-client.js';
import { runProcesses, stillRunning } from './run-processes.js';
import { runHarness } from './harness-cli.js';

t.test('a kept cluster outlives the harness, answers writes, and clean removes all of it', async (t) => {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'raft-chaos-keep-test-'));
  const env = { XDG_RUNTIME_DIR: path.join(directory, 'runtime') };
  t.teardown(async () => {
    await runHarness(['clean', '--platform', 'local'], { env }).catch(() => undefined);
    await rm(directory, { recursive: true, force: true });
  });
  const reports = path.join(directory, 'reports');
  const run = await runHarness(['run', 'baseline', '--keep', '--seed', '5', '--duration-scale', '0.3', '--reports', reports], { env, timeoutMs: 120_000 });
  t.equal(run.exitCode, 0, `the run with --keep exits by itself:\n${run.stdout}\n${run.stderr}`);
  t.match(run.stdout, /kept the cluster of baseline running/);
  t.match(run.stdout, /remove it with: npx harness clean --platform local/);
  const addresses = Object.fromEntries([...run.stdout.matchAll(/^\s+\S+\s+(raft-\d) at (127\.0\.0\.1:\d+)/gm)].map((match) => [match[1]!, match[2]!]));
  t.same(Object.keys(addresses).sort(), ['raft-0', 'raft-1', 'raft-2'], 'every node is named with its address');
  const workDir = /logs and data: (\S+)/.exec(run.stdout)?.[1];
  t.ok(workDir !== undefined && (await exists(workDir)), 'the work directory is kept');

  const client = new RaftClient({ addresses, requestTimeoutMs: 1_000 });
  t.teardown(() => client.close());
  const put = await client.put('kept-key', 'kept-value');
  t.match(put, { ok: true }, 'the kept cluster elects a leader and commits a write without the harness');
  t.match(await client.get('kept-key'), { ok: true, value: 'kept-value' });
  client.close();

  const [runId] = await readdir(reports);
  const kept = await runProcesses(runId!);
  t.ok(kept.length >= 3, 'the kept nodes run');
  const clean = await runHarness(['clean', '--platform', 'local'], { env });
  t.equal(clean.exitCode, 0, clean.stdout + clean.stderr);
  t.match(clean.stdout, /local: kept local run \S+ \(harness pid \d+\): killed process groups/);
  t.same(await stillRunning(kept), [], 'clean stopped every kept node');
  t.notOk(await exists(workDir!), 'clean removed the work directory');
  t.match((await runHarness(['clean', '--platform', 'local'], { env })).stdout, /local: nothing to clean/);
});

async function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}
