// What the local platform runs for each node: the reference server by default, or any
// command line (run through /bin/sh) that reads the SPEC section 2 variables.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ServerCommand {
  file: string;
  arguments: string[];
  shell: boolean;
  /** For messages: what was run. */
  display: string;
}

/** bin/raft-server.js, seen from dist/harness/systems/raft/. */
export function referenceServerPath(): string {
  return fileURLToPath(new URL('../../../../bin/raft-server.js', import.meta.url));
}

export function resolveServerCommand(commandLine: string | undefined): ServerCommand {
  if (commandLine !== undefined && commandLine.trim() !== '') {
    return { file: commandLine, arguments: [], shell: true, display: commandLine };
  }
  const serverPath = referenceServerPath();
  if (!existsSync(serverPath)) {
    throw new Error(
      `local platform: the reference server launcher ${serverPath} is missing; ` +
        'run the harness from a raft-chaos checkout, or set the scenario\'s server command',
    );
  }
  return {
    file: process.execPath,
    arguments: [serverPath],
    shell: false,
    display: `${process.execPath} ${serverPath}`,
  };
}
