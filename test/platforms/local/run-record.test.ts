// Run records live where each user can write them, so every run has one and `clean` finds it.

import t from 'tap';
import { execa, execaSync } from 'execa';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stateDirCandidates } from '../../../harness/platforms/local/run-record.js';

t.test('the candidates: runtime directory, then cache directory, then a per-user temporary directory', async (t) => {
  t.same(stateDirCandidates({ XDG_RUNTIME_DIR: '/run/user/1000' }, '/home/ann', '/tmp', 1000), [
    '/run/user/1000/raft-chaos/local',
    '/home/ann/.cache/raft-chaos/local',
    '/tmp/raft-chaos-1000/local',
  ]);
  t.same(stateDirCandidates({ XDG_CACHE_HOME: '/var/cache/ann' }, '/home/ann', '/tmp', 1000), ['/var/cache/ann/raft-chaos/local', '/tmp/raft-chaos-1000/local']);
});

const recordModule = fileURLToPath(new URL('../../../harness/platforms/local/run-record.js', import.meta.url));
const asNobody = ['--reuid=nobody', '--regid=nogroup', '--clear-groups'];

function nobodySkipReason(): string | false {
  if (process.getuid?.() !== 0) return 'needs root to run a process as the nobody user';
  const readable = execaSync('setpriv', [...asNobody, 'test', '-r', recordModule], { reject: false });
  return readable.exitCode === 0 ? false : `the nobody user cannot read ${recordModule} (a checkout under a private directory)`;
}

t.test('a user who cannot write the shared or cache directories still gets a writable record directory', { skip: nobodySkipReason() }, async (t) => {
  const temporary = await mkdtemp(path.join(os.tmpdir(), 'raft-chaos-state-test-'));
  t.teardown(() => rm(temporary, { recursive: true, force: true }));
  await chmod(temporary, 0o777);
  // The directory earlier versions shared, created by root: not writable by others.
  await mkdir(path.join(temporary, 'raft-chaos', 'local'), { recursive: true, mode: 0o755 });
  const script = `import(${JSON.stringify(recordModule)}).then((m) => process.stdout.write(m.defaultStateDir()))`;
  const result = await execa('setpriv', [...asNobody, process.execPath, '-e', script], {
    env: { TMPDIR: temporary, HOME: '/nonexistent', PATH: process.env.PATH ?? '/usr/bin:/bin' },
    extendEnv: false,
    reject: false,
  });
  t.equal(result.exitCode, 0, `defaultStateDir() as nobody: ${result.stderr.split("\n")[0]}`);
  const uid = Number((await execa('id', ['-u', 'nobody'])).stdout);
  t.equal(result.stdout, path.join(temporary, `raft-chaos-${uid}`, 'local'), 'falls back to a directory of its own');
});
