// powerLoss on a fixture-node cluster whose data directories are loop disks: the fixture node
// counts its boots in a file it never fsyncs, so a kill keeps the count and a power cut loses
// it. Tests that mount need root and loop devices and are skipped elsewhere with the reason.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { createLocalPlatform } from '../../../harness/platforms/local/create-local-platform.js';
import type { LocalCluster } from '../../../harness/platforms/local/local-cluster.js';
import { diskImagePath } from '../../../harness/platforms/local/loop-disk.js';
import { loopDisksUnavailableReason } from '../../../harness/platforms/local/loop-disk-support.js';
import { isMountPoint, mountsUnder } from '../../../harness/shared/mount-table.js';
import { eventually, fixtureSpec, makeDirs, request } from './local-test-kit.js';

const unavailable = loopDisksUnavailableReason();
const skip = unavailable === undefined ? false : `loop disks are unavailable here: ${unavailable}`;

async function status(cluster: LocalCluster, node: string): Promise<{ pid: number; boots: number }> {
  const answer = await request(cluster.clientAddress(node), { op: 'status' });
  return { pid: Number(answer.pid), boots: Number(answer.boots) };
}

/** The node's status once it answers from a process other than `previousPid`. */
function restarted(cluster: LocalCluster, node: string, previousPid: number): Promise<{ pid: number; boots: number }> {
  return eventually(`${node} answering as a new process`, 20_000, async () => {
    const answer = await status(cluster, node);
    return answer.pid !== previousPid ? answer : undefined;
  });
}

t.test('the platform offers powerLoss only where loop disks work, and says why not elsewhere', async (t) => {
  const without = createLocalPlatform({ loopDisksUnavailable: () => 'needs root and loop devices (test)' });
  t.notOk(without.capabilities.has('powerLoss'));
  t.same(without.unavailableReasons, { powerLoss: 'needs root and loop devices (test)' });
  const withDisks = createLocalPlatform({ loopDisksUnavailable: () => undefined });
  t.ok(withDisks.capabilities.has('powerLoss'));
  t.ok(withDisks.capabilities.has('kill'), 'and everything else the platform has');
});

t.test('powerLoss on a cluster without loop disks says what is missing', async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const cluster = await createLocalPlatform({ stateDir: dirs.stateDir }).start(fixtureSpec(dirs.workDir, { nodes: ['raft-0'] }));
  t.teardown(() => cluster.teardown());
  await t.rejects(cluster.powerLoss('raft-0'), /raft-0 has no loop disk .*ClusterSpec\.powerLossDisks/);
});

t.test('a power cut loses what the node did not fsync; a kill does not', { skip }, async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const spec = fixtureSpec(dirs.workDir, { nodes: ['raft-0', 'raft-1'], powerLossDisks: true });
  const cluster = await createLocalPlatform({ stateDir: dirs.stateDir }).start(spec);
  t.teardown(() => cluster.teardown());
  t.ok(await isMountPoint(cluster.dataDir('raft-0')), "raft-0's data directory is a loop disk");
  const first = await status(cluster, 'raft-0');
  t.equal(first.boots, 1);

  await cluster.kill('raft-0');
  const afterKill = await restarted(cluster, 'raft-0', first.pid);
  t.equal(afterKill.boots, 2, 'after a kill the page cache still holds the count');

  const report = await cluster.powerLoss('raft-0');
  t.same(report, { node: 'raft-0', filesBefore: { boots: 1 }, filesAfter: {} }, 'the unsynced count is gone from the disk');
  const afterPowerLoss = await restarted(cluster, 'raft-0', afterKill.pid);
  t.equal(afterPowerLoss.boots, 1, 'the node restarted on the disk the power cut left');
  t.equal((await status(cluster, 'raft-1')).boots, 1, 'the other node was not touched');
  t.match(await readFile(cluster.logPath('raft-0'), 'utf8'), /\[raft-chaos\] .* restart after power loss: raft-0/, 'the log marks the restart');
});

t.test('teardown unmounts every loop disk and deletes the images', { skip }, async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const spec = fixtureSpec(dirs.workDir, { nodes: ['raft-0', 'raft-1'], powerLossDisks: true });
  const progress: string[] = [];
  const cluster = await createLocalPlatform({ stateDir: dirs.stateDir }).start({ ...spec, progress: (line) => progress.push(line) });
  t.equal((await mountsUnder(dirs.workDir)).length, 2, 'one mount per node');
  await cluster.powerLoss('raft-1');
  await cluster.teardown();
  t.same(await mountsUnder(dirs.workDir), [], 'nothing stays mounted');
  for (const node of cluster.nodes) t.notOk(existsSync(diskImagePath(dirs.workDir, node)), `${node}'s image is deleted`);
  t.ok(progress.some((line) => line.includes('creating 2 loop disks')), 'progress reports the disks');
});
