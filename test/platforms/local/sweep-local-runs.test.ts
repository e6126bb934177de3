// sweep() removes what a SIGKILLed harness process left behind, and nothing of a live run.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import t from 'tap';
import { createLocalPlatform } from '../../../harness/platforms/local/create-local-platform.js';
import { diskImagePath } from '../../../harness/platforms/local/loop-disk.js';
import { loopDisksUnavailableReason } from '../../../harness/platforms/local/loop-disk-support.js';
import { mountsUnder } from '../../../harness/shared/mount-table.js';
import { recordPath } from '../../../harness/platforms/local/run-record.js';
import { sweepLocalRuns } from '../../../harness/platforms/local/sweep-local-runs.js';
import { fixtureSpec, liveMembers, makeDirs, request } from './local-test-kit.js';

const harnessFixture = fileURLToPath(new URL('../../fixtures/local/start-cluster-and-wait.js', import.meta.url));

interface Started {
  runId: string;
  pids: number[];
  clientAddresses: string[];
}

/** Reads the first stdout line of the child harness, with a deadline. */
function firstLine(subprocess: ReturnType<typeof execa>, timeoutMs: number): Promise<Started> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`the child harness printed nothing within ${timeoutMs} ms`)), timeoutMs);
    subprocess.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      resolve(JSON.parse(buffered.slice(0, end)) as Started);
    });
  });
}

t.test('sweep kills the nodes of a SIGKILLed harness and removes its record', async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const runId = `sweep-test-${process.pid}`;
  const harness = execa(process.execPath, [harnessFixture], {
    env: { FIXTURE_STATE_DIR: dirs.stateDir, FIXTURE_WORK_DIR: dirs.workDir, FIXTURE_RUN_ID: runId },
    reject: false,
    stderr: 'inherit',
  });
  t.teardown(() => {
    harness.kill('SIGKILL');
  });
  const started = await firstLine(harness, 60_000);
  t.equal(started.pids.length, 2);
  harness.kill('SIGKILL');
  await harness;
  for (const pid of started.pids) t.ok((await liveMembers(pid)).length >= 2, `group ${pid} (wrapper + node) outlived its harness`);
  t.equal((await request(started.clientAddresses[0] ?? '', { op: 'status' })).node, 'raft-0', 'the orphan still answers');
  t.ok(existsSync(recordPath(dirs.stateDir, runId)), 'the record is left behind');

  const removed = await sweepLocalRuns({ stateDir: dirs.stateDir });
  t.equal(removed.length, 1);
  t.match(removed[0], new RegExp(`local run ${runId} .*killed process groups`));
  for (const pid of started.pids) t.same(await liveMembers(pid), [], `group ${pid} is gone`);
  t.notOk(existsSync(recordPath(dirs.stateDir, runId)), 'the record is removed');
  t.notOk(existsSync(dirs.workDir), 'its work directory is removed');
  t.same(await sweepLocalRuns({ stateDir: dirs.stateDir }), [], 'a second sweep finds nothing');
});

t.test("sweep leaves a live harness's run alone unless asked for all", async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const platform = createLocalPlatform({ stateDir: dirs.stateDir });
  const spec = fixtureSpec(dirs.workDir, { nodes: ['raft-0'] });
  const cluster = await platform.start(spec);
  t.teardown(() => cluster.teardown());
  const pid = Number((await cluster.identity('raft-0')).instance);
  t.same(await platform.sweep(), [], 'the run of this live process is not swept');
  t.ok((await liveMembers(pid)).length > 0, 'its node still runs');
  const removed = await createLocalPlatform({ stateDir: dirs.stateDir, sweepAll: true }).sweep();
  t.match(removed, [new RegExp(`local run ${spec.runId} .*killed process groups ${pid}`)]);
  t.same(await liveMembers(pid), [], 'sweepAll kills it');
});

const loopDisksUnavailable = loopDisksUnavailableReason();

t.test('sweep unmounts the loop disks of a SIGKILLed power-loss run and deletes the images', { skip: loopDisksUnavailable === undefined ? false : `loop disks are unavailable here: ${loopDisksUnavailable}` }, async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const runId = `sweep-disks-test-${process.pid}`;
  const harness = execa(process.execPath, [harnessFixture], {
    env: { FIXTURE_STATE_DIR: dirs.stateDir, FIXTURE_WORK_DIR: dirs.workDir, FIXTURE_RUN_ID: runId, FIXTURE_POWER_LOSS_DISKS: '1' },
    reject: false,
    stderr: 'inherit',
  });
  t.teardown(() => {
    harness.kill('SIGKILL');
  });
  await firstLine(harness, 60_000);
  harness.kill('SIGKILL');
  await harness;
  t.equal((await mountsUnder(dirs.workDir)).length, 2, 'the two loop disks outlived their harness');

  const removed = await sweepLocalRuns({ stateDir: dirs.stateDir });
  t.match(removed, [new RegExp(`local run ${runId} .*killed process groups .*; unmounted loop disks .*raft-0.*raft-1`)]);
  t.same(await mountsUnder(dirs.workDir), [], 'nothing stays mounted');
  for (const node of ['raft-0', 'raft-1']) t.notOk(existsSync(diskImagePath(dirs.workDir, node)), `${node}'s image is deleted`);
});
