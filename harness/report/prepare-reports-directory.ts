// Creates a run's report directory, or says in one line why it cannot, before anything starts.
// It never calls a recursive mkdir on a path it has not vetted: on virtual file systems such as
// /proc, Node's recursive mkdir can spin forever. It walks up to the nearest existing ancestor,
// which must be a writable directory, and creates the missing levels one at a time.

import { access, constants, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Mount points of virtual file systems where no report can live. */
const virtualRoots = ['/proc', '/sys', '/dev'];

export class ReportsDirectoryError extends Error {
  constructor(directory: string, why: string) {
    super(`cannot write reports to ${directory}: ${why}; pass --reports a directory you can write (default: ./reports)`);
    this.name = 'ReportsDirectoryError';
  }
}

export async function prepareReportsDirectory(directory: string): Promise<string> {
  const target = path.resolve(directory);
  const virtualRoot = virtualRoots.find((root) => target === root || target.startsWith(`${root}/`));
  if (virtualRoot !== undefined) throw new ReportsDirectoryError(target, `${virtualRoot} is a virtual file system`);
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    const found = await stat(existing).catch((error: NodeJS.ErrnoException) => error);
    if (!(found instanceof Error)) {
      if (!found.isDirectory()) throw new ReportsDirectoryError(target, `${existing} is not a directory`);
      break;
    }
    if (found.code !== 'ENOENT' && found.code !== 'ENOTDIR') throw new ReportsDirectoryError(target, `${existing}: ${found.code ?? found.message}`);
    const parent = path.dirname(existing);
    if (parent === existing) throw new ReportsDirectoryError(target, 'no part of the path exists');
    missing.unshift(existing);
    existing = parent;
  }
  const deepest = missing.length === 0 ? target : existing;
  await access(deepest, constants.W_OK | constants.X_OK).catch(() => {
    throw new ReportsDirectoryError(target, `${deepest} is not writable by this user`);
  });
  for (const level of missing) {
    await mkdir(level).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw new ReportsDirectoryError(target, `creating ${level}: ${error.code ?? error.message}`);
    });
  }
  return target;
}
