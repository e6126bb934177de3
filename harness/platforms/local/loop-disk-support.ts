// Whether this machine can give nodes loop-mounted disks (the local platform's power-loss fault):
// mounting needs root, a /dev/loop-control that opens (a container may lack it or be denied it
// by its device cgroup), and mkfs.ext4, mount, umount and cp on PATH. Synchronous and cheap: it
// runs when the platform is created, to decide its capabilities.

import { closeSync, existsSync, openSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const loopControlPath = '/dev/loop-control';

const commands = [
  { command: 'mkfs.ext4', package: 'e2fsprogs' },
  { command: 'mount', package: 'mount' },
  { command: 'umount', package: 'mount' },
  { command: 'cp', package: 'coreutils' },
];

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((directory) => directory !== '' && existsSync(join(directory, command)));
}

function loopControlProblem(): string | undefined {
  try {
    closeSync(openSync(loopControlPath, 'r+'));
    return undefined;
  } catch (error) {
    return `${loopControlPath} cannot be opened (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}

/** Undefined when loop disks work here; else what is missing and how to provide it. */
export function loopDisksUnavailableReason(): string | undefined {
  const needs = 'power-loss on the local platform puts each data directory on an ext4 image mounted through a loop device, which needs root and loop devices';
  if (process.getuid?.() !== 0) return `${needs}: run the harness as root (sudo) on a machine with ${loopControlPath}`;
  const problem = loopControlProblem();
  if (problem !== undefined) {
    return `${needs}: ${problem}; load the loop module (modprobe loop) or, in a container, start it with --privileged (or --device ${loopControlPath} and the /dev/loop* devices)`;
  }
  const missing = commands.find((entry) => !onPath(entry.command));
  if (missing !== undefined) return `${needs}: ${missing.command} is not on PATH (Debian: apt-get install ${missing.package})`;
  return undefined;
}
