// One spawned incarnation of a node: a detached process (its own process group, whose id is
// its pid) with stdout and stderr appended to the node's log file.

import { closeSync, openSync } from 'node:fs';
import { execa } from 'execa';
import type { ServerCommand } from '../../systems/raft/server-command.js';

export interface ChildExit {
  exitCode: number | undefined;
  signal: string | undefined;
}

export type ExpectedExit = 'kill' | 'stop' | 'teardown';

export interface NodeChild {
  pid: number;
  /** Byte offset of the log where this incarnation's output starts. */
  logStart: number;
  startedAtMs: number;
  exited: Promise<ChildExit>;
  /** Set before the harness signals the node, so its exit is not taken for a crash. */
  expectedExit?: ExpectedExit;
  /** True while the platform is still waiting for it to listen. */
  launching: boolean;
}

export interface SpawnRequest {
  command: ServerCommand;
  environment: Record<string, string>;
  logPath: string;
  logStart: number;
  /** Run the node with this group id (iptables owner match); default: the harness's own. */
  groupId?: number;
}

export async function spawnNodeChild(request: SpawnRequest): Promise<NodeChild> {
  // execa hands a descriptor number to spawn() unchanged, so the node writes straight into the
  // file and outlives a harness crash without a broken pipe; its types only list 3 to 9.
  const logDescriptor = openSync(request.logPath, 'a') as 3;
  try {
    const subprocess = execa(request.command.file, request.command.arguments, {
      shell: request.command.shell,
      detached: true,
      cleanup: false,
      reject: false,
      buffer: false,
      stdin: 'ignore',
      stdout: logDescriptor,
      stderr: logDescriptor,
      env: request.environment,
      extendEnv: true,
      ...(request.groupId !== undefined ? { gid: request.groupId } : {}),
    });
    const exited = subprocess.then((result) => ({ exitCode: result.exitCode, signal: result.signal }));
    if (subprocess.pid === undefined) {
      const result = await subprocess;
      throw new Error(`could not start \`${request.command.display}\`: ${result.shortMessage}`);
    }
    return { pid: subprocess.pid, logStart: request.logStart, startedAtMs: Date.now(), exited, launching: true };
  } finally {
    closeSync(logDescriptor);
  }
}

/** `exit code 1`, `signal SIGKILL`. */
export function describeExit(exit: ChildExit): string {
  if (exit.signal !== undefined) return `signal ${exit.signal}`;
  return `exit code ${exit.exitCode ?? 'unknown'}`;
}
