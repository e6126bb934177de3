// Loop disks against the real kernel: after crashLoopDisk a file system keeps what was fsynced
// and nothing else; removal unmounts and deletes. Needs root and loop devices; elsewhere those
// tests are skipped with the probe's reason (the mountinfo parser runs everywhere).

import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { dataFileSizes } from '../../../harness/platforms/local/data-file-sizes.js';
import { crashLoopDisk, createLoopDisk, diskImagePath, removeLoopDisk, removeLoopDisksUnder } from '../../../harness/platforms/local/loop-disk.js';
import { loopDisksUnavailableReason } from '../../../harness/platforms/local/loop-disk-support.js';
import { isMountPoint, mountsUnder, parseMountInfo } from '../../../harness/shared/mount-table.js';

const unavailable = loopDisksUnavailableReason();
const skip = unavailable === undefined ? false : `loop disks are unavailable here: ${unavailable}`;
const smallDiskBytes = 32 * 1024 * 1024;

async function writeDurably(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w');
  await handle.writeFile(text);
  await handle.sync();
  await handle.close();
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  await handle.sync();
  await handle.close();
}

async function workDirectory(): Promise<{ workDir: string; remove: () => Promise<void> }> {
  const workDir = await mkdtemp(join(tmpdir(), 'raft-chaos-loop-disk-test-'));
  return { workDir, remove: () => rm(workDir, { recursive: true, force: true }) };
}

t.test('parseMountInfo reads mount points, types and sources, unescaping spaces', async (t) => {
  const text = [
    '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
    '97 22 7:3 / /tmp/run\\040one/data/raft-0 rw,relatime shared:50 - ext4 /dev/loop3 rw,commit=60',
    '98 22 0:5 / /proc rw - proc proc rw',
    'not a mountinfo line',
  ].join('\n');
  t.same(parseMountInfo(text), [
    { mountPoint: '/', fileSystemType: 'ext4', source: '/dev/vda' },
    { mountPoint: '/tmp/run one/data/raft-0', fileSystemType: 'ext4', source: '/dev/loop3' },
    { mountPoint: '/proc', fileSystemType: 'proc', source: 'proc' },
  ]);
});

t.test('a crash keeps what was fsynced and loses what was not', { skip }, async (t) => {
  const { workDir, remove } = await workDirectory();
  const disk = await createLoopDisk(diskImagePath(workDir, 'raft-0'), join(workDir, 'data', 'raft-0'), smallDiskBytes);
  t.teardown(async () => {
    await removeLoopDisk(disk);
    await remove();
  });
  t.ok(await isMountPoint(disk.mountPoint), 'the data directory is a mount point');
  t.match(await mountsUnder(workDir), [{ mountPoint: disk.mountPoint, fileSystemType: 'ext4', source: /^\/dev\/loop\d+$/ }]);

  await writeDurably(join(disk.mountPoint, 'synced.txt'), 'durable\n');
  await syncDirectory(disk.mountPoint);
  await appendFile(join(disk.mountPoint, 'synced.txt'), 'appended, never synced\n');
  await writeFile(join(disk.mountPoint, 'unsynced.txt'), 'volatile\n');
  t.same(await dataFileSizes(disk.mountPoint), { 'synced.txt': 31, 'unsynced.txt': 9 }, 'before the crash the page cache shows every write');

  await crashLoopDisk(disk);
  t.ok(await isMountPoint(disk.mountPoint), 'the crash copy is mounted at the same path');
  t.equal(await readFile(join(disk.mountPoint, 'synced.txt'), 'utf8'), 'durable\n', 'the fsynced write survives, the append after it does not');
  t.notOk(existsSync(join(disk.mountPoint, 'unsynced.txt')), 'the file never fsynced is gone');
  t.same(await dataFileSizes(disk.mountPoint), { 'synced.txt': 8 }, 'dataFileSizes skips lost+found');
  t.notOk(existsSync(`${disk.imagePath}.crash`), 'the copy took the image path');
});

t.test('removeLoopDisk unmounts and deletes the image, and may be repeated', { skip }, async (t) => {
  const { workDir, remove } = await workDirectory();
  t.teardown(remove);
  const disk = await createLoopDisk(diskImagePath(workDir, 'raft-1'), join(workDir, 'data', 'raft-1'), smallDiskBytes);
  await removeLoopDisk(disk);
  t.notOk(await isMountPoint(disk.mountPoint), 'unmounted');
  t.notOk(existsSync(disk.imagePath), 'the image is deleted');
  await removeLoopDisk(disk);
  t.same(await mountsUnder(workDir), [], 'nothing stays mounted');
});

t.test('removeLoopDisksUnder unmounts every loop disk of a work directory', { skip }, async (t) => {
  const { workDir, remove } = await workDirectory();
  t.teardown(remove);
  const nodes = ['raft-0', 'raft-1'];
  for (const node of nodes) await createLoopDisk(diskImagePath(workDir, node), join(workDir, 'data', node), smallDiskBytes);
  t.same((await removeLoopDisksUnder(workDir)).sort(), nodes.map((node) => join(workDir, 'data', node)));
  t.same(await mountsUnder(workDir), [], 'nothing stays mounted');
  t.notOk(existsSync(join(workDir, 'disks')), 'the images are deleted');
  t.same(await removeLoopDisksUnder(workDir), [], 'a second sweep finds nothing');
});
