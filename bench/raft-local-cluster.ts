// A cluster of reference Raft nodes as local child processes on loopback, for the benchmark and
// the client's integration test: ports from the OS, data dirs under os.tmpdir(), each node in its
// own process group (signalled as a group), and every group killed when this process exits.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../harness/shared/free-ports.js';
import { NodeConnection } from '../raft/client/node-connection.js';
import { forgetDirectory, forgetProcessGroup, killProcessGroupOnExit, removeDirectoryOnInterrupt } from './raft-process-groups.js';
import { signalGroup } from '../harness/shared/process-group.js';

export const serverEntry = fileURLToPath(new URL('../raft/server/main.js', import.meta.url));
const serverLauncher = fileURLToPath(new URL('../../bin/raft-server.js', import.meta.url));

export interface LocalRaftClusterOptions {
  nodeCount: number;
  /** Extra `RAFT_*` variables for every node. */
  env?: Record<string, string>;
  /** Extra `node` arguments for every node, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeArguments?: string[];
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
  /** Nodes that exited without being killed or stopped, with exit code and log tail. */
  unexpectedExits(): string[];
  /** The last lines of a node's log, for error messages. */
  logTail(node: string, lineCount?: number): string;
  /** Stops every node (SIGTERM, then SIGKILL after `graceMs`) and removes the work dir unless told to keep it. */
  stop(graceMs?: number, keepWorkDir?: boolean): Promise<void>;
}

/**
 * Starts the nodes and waits until each answers `status`. A node that exits during start (e.g. a
 * port taken by another process between the OS handing it out and the node binding it) makes
 * the whole cluster start again on fresh ports, at most 3 times.
 */
export async function startLocalRaftCluster(options: LocalRaftClusterOptions): Promise<LocalRaftCluster> {
  if (!existsSync(serverEntry)) throw new Error(`${serverEntry} is missing: the reference server is not built; run \`npx tsc -p tsconfig.json\` first`);
  for (let attempt = 1; ; attempt++) {
    const cluster = await launchCluster(options);
    const problem = await waitUntilServing(cluster, 30_000);
    if (problem === null) return cluster;
    await cluster.stop();
    if (attempt === 3) throw new Error(`local cluster did not start after 3 attempts: ${problem}`);
  }
}

async function launchCluster(options: LocalRaftClusterOptions): Promise<LocalRaftCluster> {
  const nodes = Array.from({ length: options.nodeCount }, (_, index) => `raft-${index}`);
  const ports = await freePorts(2 * nodes.length);
  const addresses = Object.fromEntries(nodes.map((node, index) => [node, `127.0.0.1:${ports[2 * index]}`]));
  const peers = nodes.map((node, index) => `${node}=127.0.0.1:${ports[2 * index + 1]}`).join(',');
  const workDir = mkdtempSync(join(tmpdir(), 'raft-cluster-'));
  removeDirectoryOnInterrupt(workDir);
  const children = new Map<string, ChildProcess>();
  const expectedExits = new Set<ChildProcess>();
  const unexpected: string[] = [];

  const start = (node: string) => {
    if (children.has(node)) throw new Error(`local cluster: ${node} is already running (pid ${children.get(node)!.pid}); kill it first`);
    const dataDir = join(workDir, node, 'data');
    mkdirSync(dataDir, { recursive: true });
    const env = { ...process.env, ...options.env, RAFT_ID: node, RAFT_LISTEN: addresses[node]!, RAFT_PEERS: peers, RAFT_DATA_DIR: dataDir };
    const logDescriptor = openSync(logPath(workDir, node), 'a');
    const child = spawn(process.execPath, [...(options.nodeArguments ?? []), serverLauncher], { env, detached: true, stdio: ['ignore', logDescriptor, logDescriptor] });
    closeSync(logDescriptor);
    killProcessGroupOnExit(child.pid!);
    children.set(node, child);
    child.once('exit', (code, signal) => {
      forgetProcessGroup(child.pid!);
      if (children.get(node) === child) children.delete(node);
      if (!expectedExits.has(child)) unexpected.push(`${node} (pid ${child.pid}) exited on its own with ${signal ?? `code ${code}`}; last log lines:\n${tail(logPath(workDir, node), 10)}`);
    });
  };

  const signal = async (node: string, name: NodeJS.Signals, timeoutMs: number) => {
    const child = children.get(node);
    if (child === undefined) return;
    expectedExits.add(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child.pid!, name);
    await withDeadline(exited, timeoutMs, `local cluster: ${node} (pid ${child.pid}) did not exit within ${timeoutMs} ms of ${name}`);
  };
  const kill = (node: string) => signal(node, 'SIGKILL', 10_000);
  const terminate = (node: string, graceMs: number) => signal(node, 'SIGTERM', graceMs).catch(() => kill(node));

  for (const node of nodes) start(node);
  return {
    nodes,
    addresses,
    workDir,
    kill,
    start,
    isRunning: (node) => children.has(node),
    unexpectedExits: () => [...unexpected],
    logTail: (node, lineCount = 20) => tail(logPath(workDir, node), lineCount),
    stop: async (graceMs = 0, keepWorkDir = false) => {
      await Promise.all(nodes.map((node) => (graceMs > 0 ? terminate(node, graceMs) : kill(node))));
      if (!keepWorkDir) rmSync(workDir, { recursive: true, force: true });
      forgetDirectory(workDir);
    },
  };
}

/** Null once every node answers `status`; otherwise what went wrong. */
async function waitUntilServing(cluster: LocalRaftCluster, timeoutMs: number): Promise<string | null> {
  const deadline = performance.now() + timeoutMs;
  const waiting = new Set(cluster.nodes);
  while (waiting.size > 0) {
    const exits = cluster.unexpectedExits();
    if (exits.length > 0) return exits.join('\n');
    if (performance.now() > deadline) return `${[...waiting].map((node) => `${node} did not answer status within ${timeoutMs} ms; last log lines:\n${cluster.logTail(node, 10)}`).join('\n')}`;
    for (const node of [...waiting]) if (await answersStatus(cluster.addresses[node]!)) waiting.delete(node);
    if (waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

async function answersStatus(address: string): Promise<boolean> {
  const connection = new NodeConnection({ address, requestTimeoutMs: 1000 });
  const reply = await connection.request({ op: 'status' });
  connection.close();
  return reply.kind === 'response' && reply.response.ok;
}

function logPath(workDir: string, node: string): string {
  mkdirSync(join(workDir, node), { recursive: true });
  return join(workDir, node, 'node.log');
}

function tail(path: string, lineCount: number): string {
  if (!existsSync(path)) return '(no log yet)';
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lineCount).join('\n');
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
