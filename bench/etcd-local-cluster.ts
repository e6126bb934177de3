// A 3-member etcd cluster on loopback for comparison runs: ports from the OS, data dirs under
// os.tmpdir(), each member in its own process group, all killed when this process exits.

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePorts, withDeadline } from './raft-local-cluster.js';
import { forgetProcessGroup, killProcessGroupOnExit } from './raft-process-groups.js';

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
  stop(): Promise<void>;
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
  const children = new Map<string, ChildProcess>();
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
    const logFd = openSync(logPath(member), 'a');
    const child = spawn(etcdPath, args, { detached: true, stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    killProcessGroupOnExit(child.pid!);
    children.set(member, child);
    child.once('exit', () => {
      forgetProcessGroup(child.pid!);
      if (children.get(member) === child) children.delete(member);
    });
  };

  const kill = async (member: string) => {
    const child = children.get(member);
    if (child === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await withDeadline(exited, 10_000, `etcd cluster: ${member} (pid ${child.pid}) did not exit within 10 s of SIGKILL`);
  };

  for (const member of members) start(member);
  return {
    members,
    clientUrls,
    workDir,
    kill,
    start,
    logTail: (member, lineCount = 20) => {
      try {
        return readFileSync(logPath(member), 'utf8').trimEnd().split('\n').slice(-lineCount).join('\n');
      } catch {
        return '(no log yet)';
      }
    },
    stop: async () => {
      await Promise.all(members.map((member) => kill(member)));
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
