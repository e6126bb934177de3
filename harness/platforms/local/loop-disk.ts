// A node's disk for the power-loss fault: a sparse image file holding an ext4 file system,
// mounted through a loop device at the node's data directory. The image file plays the device:
// what ext4 has written to the loop device is in it, what ext4 still holds in its page cache is
// not. So a copy of the image taken while the file system is mounted is the disk as a power cut
// would leave it, and mounting that copy (ext4 replays its journal) is the reboot.
//
// Mounted with commit=60: ext4 commits its journal every 60 s instead of 5 s, so for a minute a
// write that was not fsynced exists only in memory (the kernel's flusher writes dirty data back
// after vm.dirty_expire_centisecs, 30 s by default, but the metadata that makes it reachable waits
// for the commit). fsync and fdatasync force the data and the journal to the device at once.
// Measured on Linux 6.18 (README.md, "Power loss"): a file written without fsync is absent from
// the copy after 0 s and after 35 s, present after 65 s; with fsync it is present at once.
//
// Every step is a real command (mkfs.ext4, mount, umount, cp) and needs root; see
// loop-disk-support.ts for the probe.

import { execa } from 'execa';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pRetry, { AbortError } from 'p-retry';
import { isMountPoint, mountsUnder } from '../../shared/mount-table.js';

export interface LoopDisk {
  /** The sparse image file: the "device". */
  imagePath: string;
  /** Where the file system is mounted: the node's data directory. */
  mountPoint: string;
}

/** Apparent size of each image; sparse, so a fresh one takes about 8 MiB. */
export const loopDiskSizeBytes = 256 * 1024 * 1024;
export const loopDiskMountOptions = 'loop,commit=60';

const commandTimeoutMs = 60_000;
const busyRetries = 20;
const busyRetryMs = 100;

/** Mounts one at a time within this process: parallel `mount -o loop` may race for a free loop device. */
let mountQueue: Promise<unknown> = Promise.resolve();

async function run(command: string, args: string[], nextStep: string): Promise<void> {
  const result = await execa(command, args, { reject: false, timeout: commandTimeoutMs });
  if (result.exitCode === 0) return;
  const reason = result.timedOut ? `timed out after ${commandTimeoutMs} ms` : `exit ${result.exitCode ?? result.signal ?? 'unknown'}`;
  throw new Error(`${command} ${args.join(' ')} failed (${reason}): ${(result.stderr || result.stdout || result.message || 'no output').trim()}; ${nextStep}`);
}

function mount(imagePath: string, mountPoint: string): Promise<void> {
  const mounted = mountQueue.then(() =>
    run('mount', ['-t', 'ext4', '-o', loopDiskMountOptions, imagePath, mountPoint], 'power-loss disks need root and free loop devices (losetup -a lists the ones in use)'),
  );
  mountQueue = mounted.catch(() => undefined);
  return mounted;
}

/** Unmounts, retrying with back-off a bounded while when the file system is still busy (a process just killed). */
export async function unmount(mountPoint: string): Promise<void> {
  await pRetry(
    async () => {
      const result = await execa('umount', [mountPoint], { reject: false, timeout: commandTimeoutMs });
      if (result.exitCode === 0) return;
      const busy = /busy/i.test(result.stderr);
      const next = busy ? `\`fuser -vm ${mountPoint}\` shows what still uses it; stop that, then \`umount ${mountPoint}\`` : 'run `harness clean --platform local` as root';
      const error = new Error(`umount ${mountPoint} failed (exit ${result.exitCode ?? result.signal ?? 'unknown'}): ${result.stderr.trim()}; ${next}`);
      throw busy ? error : new AbortError(error);
    },
    { retries: busyRetries - 1, minTimeout: busyRetryMs, factor: 1.2, maxTimeout: 2 * busyRetryMs },
  );
}

/** Creates a sparse image of `sizeBytes`, makes an ext4 file system on it and mounts it at `mountPoint`. */
export async function createLoopDisk(imagePath: string, mountPoint: string, sizeBytes = loopDiskSizeBytes): Promise<LoopDisk> {
  await mkdir(dirname(imagePath), { recursive: true });
  await mkdir(mountPoint, { recursive: true });
  const handle = await open(imagePath, 'w');
  try {
    await handle.truncate(sizeBytes);
  } finally {
    await handle.close();
  }
  try {
    await run('mkfs.ext4', ['-q', '-F', imagePath], 'power-loss disks need mkfs.ext4 (e2fsprogs) and free space under the work directory');
    await mount(imagePath, mountPoint);
  } catch (error) {
    await rm(imagePath, { force: true });
    throw error;
  }
  return { imagePath, mountPoint };
}

/**
 * The power cut, for a disk whose node is already dead: copy the image as the device holds it,
 * unmount the file system (its last writes go to the old image, which is then deleted), put the
 * copy in the old image's place and mount it (ext4 replays its journal).
 */
export async function crashLoopDisk(disk: LoopDisk): Promise<void> {
  const copy = `${disk.imagePath}.crash`;
  try {
    await run('cp', ['--sparse=always', disk.imagePath, copy], 'check the free space under the work directory');
  } catch (error) {
    await rm(copy, { force: true });
    throw error;
  }
  await unmount(disk.mountPoint);
  await rm(disk.imagePath, { force: true });
  await rename(copy, disk.imagePath);
  await mount(disk.imagePath, disk.mountPoint);
}

/** Unmounts (when mounted) and deletes the image. Idempotent. */
export async function removeLoopDisk(disk: LoopDisk): Promise<void> {
  if (await isMountPoint(disk.mountPoint)) await unmount(disk.mountPoint);
  await rm(disk.imagePath, { force: true });
  await rm(`${disk.imagePath}.crash`, { force: true });
}

/** Where a run's disk images live: `<workDir>/disks/<node>.img`. */
export function diskImagePath(workDir: string, node: string): string {
  return join(workDir, 'disks', `${node}.img`);
}

/**
 * For `harness clean`: unmounts every loop disk mounted under a run's work directory (its
 * processes must be gone) and deletes the images; returns the mount points it unmounted.
 */
export async function removeLoopDisksUnder(workDir: string): Promise<string[]> {
  const loopMounts = (await mountsUnder(workDir)).filter((entry) => entry.source.startsWith('/dev/loop'));
  for (const entry of loopMounts) await unmount(entry.mountPoint);
  await rm(join(workDir, 'disks'), { recursive: true, force: true });
  return loopMounts.map((entry) => entry.mountPoint);
}
