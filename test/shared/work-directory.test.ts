// `harness clean` removes the work directories whose owner is gone (SIGKILL, double Ctrl-C, a
// kept cluster removed), and none that a live process owns or that is being created.

import t from 'tap';
import { execa } from 'execa';
import { access, mkdir, mkdtemp, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createWorkDirectory, setWorkDirectoryOwner, sweepWorkDirectories, workDirectoryPrefix } from '../../harness/shared/work-directory.js';

const exists = (file: string) => access(file).then(() => true, () => false);

t.test('sweep removes abandoned work directories and keeps owned and young ones', async (t) => {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'raft-chaos-sweep-parent-'));
  t.teardown(() => rm(parent, { recursive: true, force: true }));
  const owned = await createWorkDirectory(parent);
  const abandoned = await createWorkDirectory(parent);
  const gone = await execa(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  await setWorkDirectoryOwner(abandoned, Number(gone.stdout));
  const ownerlessOld = path.join(parent, `${workDirectoryPrefix}old`);
  await mkdir(path.join(ownerlessOld, 'logs'), { recursive: true });
  const anHourAgo = new Date(Date.now() - 3_600_000);
  await utimes(ownerlessOld, anHourAgo, anHourAgo);
  const ownerlessYoung = path.join(parent, `${workDirectoryPrefix}young`);
  await mkdir(ownerlessYoung);
  const unrelated = path.join(parent, 'something-else');
  await mkdir(unrelated);

  const lines = await sweepWorkDirectories(parent);
  t.same(lines.sort(), [`removed work directory ${abandoned}`, `removed work directory ${ownerlessOld}`].sort());
  t.notOk(await exists(abandoned), 'a directory whose owner exited is removed');
  t.notOk(await exists(ownerlessOld), 'an old directory without an owner file is removed');
  t.ok(await exists(owned), 'a directory this live process owns stays');
  t.ok(await exists(ownerlessYoung), 'a directory being created (no owner file yet, new) stays');
  t.ok(await exists(unrelated), 'other directories are never touched');
  t.same(await sweepWorkDirectories(parent), [], 'a second sweep finds nothing');
});
