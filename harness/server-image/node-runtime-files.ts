// A binary (node, or a system's server) and exactly the shared libraries it loads (from this
// machine), as files for an image.

import { execa } from 'execa';
import { realpath } from 'node:fs/promises';
import { parseLddOutput } from './parse-ldd-output.js';

export interface RuntimeFile {
  /** Where the bytes come from on this machine (symlinks resolved). */
  sourcePath: string;
  /** Where the file goes in the image. */
  imagePath: string;
  /** Set for a symbolic link: what it points at in the image (sourcePath is then unused). */
  linkTarget?: string;
}

/** Where the node binary goes in the image. */
export const imageNodePath = '/usr/local/bin/node';

export async function nodeRuntimeFiles(nodeBinary = process.execPath, imagePath = imageNodePath): Promise<RuntimeFile[]> {
  const binary = await realpath(nodeBinary);
  const ldd = await execa('ldd', [binary], { reject: false, timeout: 30_000 });
  if (ldd.exitCode !== 0) {
    throw new Error(
      `ldd ${binary} failed (exit ${ldd.exitCode}): ${ldd.stderr || ldd.stdout}; ` +
        'the docker image copies a dynamically linked binary and the libraries ldd lists, so ldd must work',
    );
  }
  const libraries = parseLddOutput(ldd.stdout, binary);
  const files: RuntimeFile[] = [{ sourcePath: binary, imagePath }];
  for (const library of libraries) {
    files.push({ sourcePath: await realpath(library), imagePath: library });
  }
  return files;
}
