// The reports directory is vetted and created before a run starts; a path that cannot hold
// reports is one line naming it, never a hang or a stack trace.

import t from 'tap';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { prepareReportsDirectory } from '../../harness/report/prepare-reports-directory.js';
import { runHarness } from '../cli/harness-cli.js';

t.test('creates the missing levels of a writable path', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'raft-chaos-reports-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const target = path.join(root, 'a', 'b', 'c');
  t.equal(await prepareReportsDirectory(target), target);
  t.ok((await stat(target)).isDirectory());
  t.equal(await prepareReportsDirectory(target), target, 'an existing directory is fine');
});

t.test('refuses virtual file systems, files on the way and unwritable parents, naming the path', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'raft-chaos-reports-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const file = path.join(root, 'file');
  await writeFile(file, 'x');
  await t.rejects(prepareReportsDirectory('/proc/forbidden'), /cannot write reports to \/proc\/forbidden: \/proc is a virtual file system; pass --reports/);
  await t.rejects(prepareReportsDirectory(path.join(file, 'x')), new RegExp(`${file} is not a directory`));
  await t.rejects(prepareReportsDirectory(file), new RegExp(`${file} is not a directory`));
  if (process.getuid?.() !== 0) {
    const locked = path.join(root, 'locked');
    await writeFile(path.join(root, 'placeholder'), '');
    await chmod(root, 0o555);
    t.teardown(() => chmod(root, 0o755));
    await t.rejects(prepareReportsDirectory(locked), /is not writable by this user/);
  }
});

t.test('harness run --reports /proc/forbidden: one line, exit 2, at once', async (t) => {
  const started = performance.now();
  const result = await runHarness(['run', 'baseline', '--reports', '/proc/forbidden'], { timeoutMs: 10_000 });
  t.equal(result.exitCode, 2);
  t.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  t.match(result.stderr, /cannot write reports to \/proc\/forbidden/);
  t.ok(performance.now() - started < 10_000, 'returns well before the deadline');
});
