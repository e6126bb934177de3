// The directory holding raft-chaos's package.json, found from this file's location.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 10; depth++) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'raft-chaos') return directory;
    directory = dirname(directory);
  }
  throw new Error(`no raft-chaos package.json above ${fileURLToPath(import.meta.url)}`);
}
