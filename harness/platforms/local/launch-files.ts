// What the local platform and its process cluster do with a system's NodeLaunch before spawning
// it: write the config files it asks for into the node's data directory, and name the command.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { NodeLaunch } from '../../systems/system.js';
import type { ServerCommand } from '../../systems/raft/server-command.js';

/** Writes every file of `launch.files` under `dataDir` (relative paths), creating directories. */
export async function writeLaunchFiles(dataDir: string, launch: NodeLaunch): Promise<void> {
  for (const [relativePath, content] of Object.entries(launch.files ?? {})) {
    const path = join(dataDir, relativePath);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}

export function commandOfLaunch(launch: NodeLaunch): ServerCommand {
  return { file: launch.file, arguments: launch.arguments, shell: launch.shell, display: [launch.file, ...launch.arguments].join(' ') };
}
