// Whether the process listening on a loopback TCP port belongs to a given process group, from
// Linux's /proc: the listening socket's inode in /proc/net/tcp{,6}, and the group's open files
// in /proc/<pid>/fd. A port found free can be taken by another process before a node binds it;
// a probe that only connects would then take that process for the node.

import { readdir, readFile, readlink } from 'node:fs/promises';
import { groupMembers } from './process-table.js';

const listenState = '0A';

/** The inodes of the sockets listening on `port` in one /proc/net/tcp or tcp6 table. Pure. */
export function listeningSocketInodes(table: string, port: number): string[] {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const localAddress = fields[1];
    if (localAddress === undefined || fields[3] !== listenState) continue;
    if (localAddress.slice(localAddress.lastIndexOf(':') + 1) === portHex && fields[9] !== undefined) inodes.push(fields[9]);
  }
  return inodes;
}

/**
 * True when a process of `processGroupId` holds a socket listening on `port`, false when
 * another process does (or none does), undefined when /proc cannot tell (not Linux).
 */
export async function isListeningInGroup(port: number, processGroupId: number): Promise<boolean | undefined> {
  const tables = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((path) => readFile(path, 'utf8').catch(() => undefined)));
  if (tables.every((table) => table === undefined)) return undefined;
  const inodes = new Set(tables.flatMap((table) => (table === undefined ? [] : listeningSocketInodes(table, port))));
  if (inodes.size === 0) return false;
  for (const member of await groupMembers(processGroupId)) {
    const descriptors = await readdir(`/proc/${member.pid}/fd`).catch(() => [] as string[]);
    for (const descriptor of descriptors) {
      const target = await readlink(`/proc/${member.pid}/fd/${descriptor}`).catch(() => '');
      if (target.startsWith('socket:[') && inodes.has(target.slice('socket:['.length, -1))) return true;
    }
  }
  return false;
}
