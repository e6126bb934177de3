// Reads the Linux process table under /proc: which processes exist, their process group,
// state and start time, and their environment. Used to wait for a whole process group to be
// gone, to recognise the processes a run started (by the RAFT_CHAOS_RUN marker), and to tell
// whether the harness process that owns a run is still alive (local and docker platforms).

import { readdir, readFile } from 'node:fs/promises';

export interface ProcessEntry {
  pid: number;
  processGroupId: number;
  /** One letter from /proc/<pid>/stat: R, S, D, T (stopped), Z (zombie), ... */
  state: string;
  /** Start time since boot in clock ticks: with the pid, identifies one process over time. */
  startTime: number;
}

/** Parses one /proc/<pid>/stat line; the command name may contain spaces and parentheses. */
export function parseProcessStat(line: string): ProcessEntry | undefined {
  const closing = line.lastIndexOf(')');
  if (closing < 0) return undefined;
  const pid = Number.parseInt(line.slice(0, line.indexOf(' ')), 10);
  // After ") ": state(3) ppid(4) pgrp(5) ... starttime(22); index 0 here is field 3.
  const fields = line.slice(closing + 2).split(' ');
  const entry = {
    pid,
    state: fields[0] ?? '?',
    processGroupId: Number.parseInt(fields[2] ?? '', 10),
    startTime: Number.parseInt(fields[19] ?? '', 10),
  };
  return Number.isFinite(entry.pid) && Number.isFinite(entry.processGroupId) ? entry : undefined;
}

/** One process, or undefined when it does not exist (any more). */
export async function readProcess(pid: number): Promise<ProcessEntry | undefined> {
  try {
    return parseProcessStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every process visible in /proc. */
export async function listProcesses(): Promise<ProcessEntry[]> {
  const names = await readdir('/proc');
  const entries = await Promise.all(
    names.filter((name) => /^\d+$/.test(name)).map((name) => readProcess(Number(name))),
  );
  return entries.filter((entry): entry is ProcessEntry => entry !== undefined);
}

/** Live (not zombie) members of a process group. */
export async function groupMembers(processGroupId: number): Promise<ProcessEntry[]> {
  const all = await listProcesses();
  return all.filter((entry) => entry.processGroupId === processGroupId && entry.state !== 'Z');
}

/** The value of one environment variable of a process, or undefined when unreadable. */
export async function readEnvironmentVariable(pid: number, name: string): Promise<string | undefined> {
  let raw: string;
  try {
    raw = await readFile(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return undefined;
  }
  const prefix = `${name}=`;
  const match = raw.split('\0').find((assignment) => assignment.startsWith(prefix));
  return match?.slice(prefix.length);
}

/**
 * Whether a process with this pid and start time is still alive (not a zombie, not reused).
 * A start time of 0 (unknown) matches any live process with the pid.
 */
export async function isProcessAlive(pid: number, startTime: number): Promise<boolean> {
  const entry = await readProcess(pid);
  if (entry === undefined || entry.state === 'Z') return false;
  return startTime === 0 || entry.startTime === startTime;
}
