// A 3-member etcd cluster on loopback for comparison runs: ports from the OS, data dirs under
// os.tmpdir(), each member in its own process group, all killed when this process exits.

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePorts } from '../harness/shared/free-ports.js';
import { withDeadline } from './raft-local-cluster.js';
import { forgetDirectory, forgetProcessGroup, killProcessGroupOnExit, removeDirectoryOnInterrupt } from './raft-process-groups.js';
import { signalGroup } from '../harness/shared/process-group.js';

export interface EtcdClusterOptions {
  memberCount: number;
  heartbeatIntervalMs: number;
  electionTimeoutMs: number;
}

export interface EtcdLocalCluster {
  readonly members: readonly string[];
  /** Member -> client URL, e.g. http://127.0.0.1:40123. */
  readonly clientUrls: Readonly<Record<string, string>>;
  readonly workDir: string;
  kill(member: string): Promise<void>;
  start(member: string): void;
  logTail(member: string, lineCount?: number): string;
  /** Members that exited without being killed or stopped. */
  unexpectedExits(): string[];
  /** Kills every member and removes the work dir unless told to keep it. */
  stop(keepWorkDir?: boolean): Promise<void>;
}

/** The path of `etcd` on PATH, or null. */
export function findEtcd(): string | null {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(directory, 'etcd');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export async function startEtcdCluster(etcdPath: string, options: EtcdClusterOptions): Promise<EtcdLocalCluster> {
  const members = Array.from({ length: options.memberCount }, (_, index) => `etcd-${index}`);
  const ports = await freePorts(2 * members.length);
  const clientUrls = Object.fromEntries(members.map((member, index) => [member, `http://127.0.0.1:${ports[2 * index]}`]));
  const peerUrls = Object.fromEntries(members.map((member, index) => [member, `http://127.0.0.1:${ports[2 * index + 1]}`]));
  const initialCluster = members.map((member) => `${member}=${peerUrls[member]}`).join(',');
  const workDir = mkdtempSync(join(tmpdir(), 'etcd-cluster-'));
  removeDirectoryOnInterrupt(workDir);
  const children = new Map<string, ChildProcess>();
  const expectedExits = new Set<ChildProcess>();
  const unexpected: string[] = [];
  const logPath = (member: string) => join(workDir, `${member}.log`);

  const start = (member: string) => {
    const args = [
      `--name=${member}`,
      `--data-dir=${join(workDir, member)}`,
      `--listen-client-urls=${clientUrls[member]}`,
      `--advertise-client-urls=${clientUrls[member]}`,
      `--listen-peer-urls=${peerUrls[member]}`,
      `--initial-advertise-peer-urls=${peerUrls[member]}`,
      `--initial-cluster=${initialCluster}`,
      '--initial-cluster-state=new',
      '--initial-cluster-token=raft-chaos-bench',
      `--heartbeat-interval=${options.heartbeatIntervalMs}`,
      `--election-timeout=${options.electionTimeoutMs}`,
    ];
    mkdirSync(workDir, { recursive: true });
    const logDescriptor = openSync(logPath(member), 'a');
    const child = spawn(etcdPath, args, { detached: true, stdio: ['ignore', logDescriptor, logDescriptor] });
    closeSync(logDescriptor);
    killProcessGroupOnExit(child.pid!);
    children.set(member, child);
    child.once('exit', (code, signal) => {
      forgetProcessGroup(child.pid!);
      if (children.get(member) === child) children.delete(member);
      if (!expectedExits.has(child)) unexpected.push(`${member} (pid ${child.pid}) exited on its own with ${signal ?? `code ${code}`}; log: ${logPath(member)}`);
    });
  };

  const kill = async (member: string) => {
    const child = children.get(member);
    if (child === undefined) return;
    expectedExits.add(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child.pid!, 'SIGKILL');
    await withDeadline(exited, 10_000, `etcd cluster: ${member} (pid ${child.pid}) did not exit within 10 s of SIGKILL`);
  };

  for (const member of members) start(member);
  return {
    members,
    clientUrls,
    workDir,
    kill,
    start,
    unexpectedExits: () => [...unexpected],
    logTail: (member, lineCount = 20) => {
      try {
        return readFileSync(logPath(member), 'utf8').trimEnd().split('\n').slice(-lineCount).join('\n');
      } catch {
        return '(no log yet)';
      }
    },
    stop: async (keepWorkDir = false) => {
      await Promise.all(members.map((member) => kill(member)));
      if (!keepWorkDir) rmSync(workDir, { recursive: true, force: true });
      forgetDirectory(workDir);
    },
  };
}
