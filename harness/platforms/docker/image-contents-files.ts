// The files of a system's ImageContents, for its image: every file under the listed paths at the
// same path (a symbolic link kept when it points inside them, copied as its target when it points
// elsewhere, left out when it points nowhere), and the libraries ldd lists for the run-time
// loaded shared objects.

import { execa } from 'execa';
import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageContents } from '../../systems/system.js';
import type { RuntimeFile } from '../../server-image/node-runtime-files.js';
import { parseLddOutput } from '../../server-image/parse-ldd-output.js';

/** Pure: whether `path` is one of `roots` or lies under one. */
export function isUnder(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    const directory = root.replace(/\/+$/, '');
    return path === directory || path.startsWith(`${directory}/`);
  });
}

async function resolvedOrUndefined(path: string): Promise<string | undefined> {
  return realpath(path).catch(() => undefined);
}

async function filesUnder(path: string, contents: ImageContents, files: RuntimeFile[]): Promise<void> {
  if (isUnder(path, contents.exclude ?? [])) return;
  const status = await lstat(path);
  if (status.isSymbolicLink()) {
    const target = await resolvedOrUndefined(path);
    if (target === undefined) return;
    if (isUnder(target, contents.paths)) files.push({ sourcePath: target, imagePath: path, linkTarget: await readlink(path) });
    else if ((await lstat(target)).isDirectory()) {
      files.push({ sourcePath: target, imagePath: path, linkTarget: target });
      await filesUnder(target, { ...contents, paths: [...contents.paths, target] }, files);
    } else files.push({ sourcePath: target, imagePath: path });
    return;
  }
  if (status.isDirectory()) {
    for (const entry of (await readdir(path)).sort()) await filesUnder(join(path, entry), contents, files);
    return;
  }
  if (status.isFile()) files.push({ sourcePath: path, imagePath: path });
}

async function librariesOf(library: string, libraryPath: readonly string[]): Promise<RuntimeFile[]> {
  const environment = libraryPath.length === 0 ? {} : { LD_LIBRARY_PATH: libraryPath.join(':') };
  const ldd = await execa('ldd', [library], { reject: false, timeout: 30_000, env: environment });
  if (ldd.exitCode !== 0) throw new Error(`ldd ${library} failed (exit ${ldd.exitCode}): ${ldd.stderr || ldd.stdout}; the image needs the libraries it loads`);
  const files: RuntimeFile[] = [];
  for (const path of parseLddOutput(ldd.stdout, library)) files.push({ sourcePath: await realpath(path), imagePath: path });
  return files;
}

export async function imageContentsFiles(contents: ImageContents): Promise<RuntimeFile[]> {
  const files: RuntimeFile[] = [];
  for (const path of contents.paths) {
    if ((await resolvedOrUndefined(path)) === undefined) throw new Error(`image contents: ${path} is not on this machine; install the system's packages, then build the image again`);
    await filesUnder(path, contents, files);
  }
  for (const library of contents.libraries ?? []) files.push(...(await librariesOf(library, contents.libraryPath ?? [])));
  return files;
}
