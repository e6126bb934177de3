// A cluster of reference Raft nodes as local child processes on loopback, for the benchmark and
// the client's integration test: ports from the OS, data dirs under os.tmpdir(), each node in its
// own process group (signalled as a group), and every group killed when this process exits.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killProcessGroupOnExit, forgetProcessGroup } from './raft-process-groups.js';

export const serverEntry = fileURLToPath(new URL('../raft/server/main.js', import.meta.url));
const serverLauncher = fileURLToPath(new URL('../../bin/raft-server.js', import.meta.url));

export interface LocalRaftClusterOptions {
  nodeCount: number;
  /** Extra `RAFT_*` variables for every node. */
  env?: Record<string, string>;
}

export interface LocalRaftCluster {
  readonly nodes: readonly string[];
  /** Node -> client `host:port`. */
  readonly addresses: Readonly<Record<string, string>>;
  readonly workDir: string;
  /** SIGKILL the node's process group and wait until it is gone. */
  kill(node: string): Promise<void>;
  /** Starts the node again with the same data dir and ports. */
  start(node: string): void;
  isRunning(node: string): boolean;
  /** The last lines of a node's log, for error messages. */
  logTail(node: string, lineCount?: number): string;
  /** Stops every node (SIGTERM, then SIGKILL after `graceMs`) and removes the work dir. */
  stop(graceMs?: number): Promise<void>;
}

export async function startLocalRaftCluster(options: LocalRaftClusterOptions): Promise<LocalRaftCluster> {
  if (!existsSync(serverEntry)) throw new Error(`${serverEntry} is missing: the reference server is not built; run \`npx tsc -p tsconfig.json\` first`);
  const nodes = Array.from({ length: options.nodeCount }, (_, index) => `raft-${index}`);
  const ports = await freePorts(2 * nodes.length);
  const addresses = Object.fromEntries(nodes.map((node, index) => [node, `127.0.0.1:${ports[2 * index]}`]));
  const peers = nodes.map((node, index) => `${node}=127.0.0.1:${ports[2 * index + 1]}`).join(',');
  const workDir = mkdtempSync(join(tmpdir(), 'raft-cluster-'));
  const children = new Map<string, ChildProcess>();

  const start = (node: string) => {
    if (children.has(node)) throw new Error(`local cluster: ${node} is already running (pid ${children.get(node)!.pid}); kill it first`);
    const dataDir = join(workDir, node, 'data');
    mkdirSync(dataDir, { recursive: true });
    const env = { ...process.env, ...options.env, RAFT_ID: node, RAFT_LISTEN: addresses[node]!, RAFT_PEERS: peers, RAFT_DATA_DIR: dataDir };
    const logFd = openSync(logPath(workDir, node), 'a');
    const child = spawn(process.execPath, [serverLauncher], { env, detached: true, stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    killProcessGroupOnExit(child.pid!);
    children.set(node, child);
    child.once('exit', () => {
      forgetProcessGroup(child.pid!);
      if (children.get(node) === child) children.delete(node);
    });
  };

  const kill = async (node: string) => {
    const child = children.get(node);
    if (child === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child.pid!, 'SIGKILL');
    await withDeadline(exited, 10_000, `local cluster: ${node} (pid ${child.pid}) did not exit within 10 s of SIGKILL`);
  };

  const terminate = async (node: string, graceMs: number) => {
    const child = children.get(node);
    if (child === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child.pid!, 'SIGTERM');
    await withDeadline(exited, graceMs, '').catch(() => kill(node));
  };

  for (const node of nodes) start(node);
  return {
    nodes,
    addresses,
    workDir,
    kill,
    start,
    isRunning: (node) => children.has(node),
    logTail: (node, lineCount = 20) => tail(logPath(workDir, node), lineCount),
    stop: async (graceMs = 0) => {
      await Promise.all(nodes.map((node) => (graceMs > 0 ? terminate(node, graceMs) : kill(node))));
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

function logPath(workDir: string, node: string): string {
  mkdirSync(join(workDir, node), { recursive: true });
  return join(workDir, node, 'node.log');
}

function tail(path: string, lineCount: number): string {
  if (!existsSync(path)) return '(no log yet)';
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lineCount).join('\n');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Ports the OS hands out: held open together so they are distinct, then released for the nodes. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      servers.push(server);
    }
    return servers.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

export async function withDeadline<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
