// Shared by the local platform's tests: the fixture node, one-shot JSON requests, temp dirs.

import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterSpec } from '../../../harness/platform/platform.js';
import { groupMembers } from '../../../harness/shared/process-table.js';

export const fixturePath = fileURLToPath(new URL('../../fixtures/local/fixture-node.js', import.meta.url));

/** A shell command line that runs the fixture node, optionally under `sh -c` (a wrapper). */
export function fixtureCommand(options: { wrapped?: boolean } = {}): string {
  const direct = `exec '${process.execPath}' '${fixturePath}'`;
  // `; true` keeps the shell alive as the group leader with the node as its child.
  return options.wrapped === true ? `sh -c "${direct}; true"` : direct;
}

export interface TestDirs {
  workDir: string;
  stateDir: string;
  remove: () => Promise<void>;
}

export async function makeDirs(): Promise<TestDirs> {
  const root = await mkdtemp(join(tmpdir(), 'raft-chaos-local-test-'));
  return {
    workDir: join(root, 'work'),
    stateDir: join(root, 'state'),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

let runCounter = 0;

export function fixtureSpec(workDir: string, overrides: Partial<ClusterSpec> = {}): ClusterSpec {
  runCounter += 1;
  return {
    runId: `test-${process.pid}-${runCounter}`,
    nodes: ['raft-0', 'raft-1', 'raft-2'],
    serverEnv: {},
    serverCommand: fixtureCommand(),
    workDir,
    restartDelayMs: 200,
    ...overrides,
  };
}

/** Sends one JSON request line and resolves with the first response line, or rejects on timeout. */
export function request(address: string, message: Record<string, unknown>, timeoutMs = 5_000): Promise<Record<string, unknown>> {
  const [host, port] = address.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port) });
    let buffered = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from ${address} within ${timeoutMs} ms to ${JSON.stringify(message)}`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(`${JSON.stringify({ id: 1, ...message })}\n`));
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(JSON.parse(buffered.slice(0, end)) as Record<string, unknown>);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Retries `check` every 50 ms until it returns a value, or throws after `timeoutMs`. */
export async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms (last error: ${String(lastError)})`);
}

export async function liveMembers(processGroupId: number): Promise<number[]> {
  return (await groupMembers(processGroupId)).map((entry) => entry.pid);
}

/** True when nothing accepts connections on the port. */
export function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}
