// A node's log file `<workDir>/logs/<node>.log`: the node's stdout and stderr, appended across
// restarts, with one harness marker line before each (re)start.

import { appendFile, open, stat } from 'node:fs/promises';

const markerPrefix = '[raft-chaos]';

export async function appendMarker(logPath: string, message: string): Promise<void> {
  await appendFile(logPath, `${markerPrefix} ${new Date().toISOString()} ${message}\n`);
}

export async function logSize(logPath: string): Promise<number> {
  try {
    return (await stat(logPath)).size;
  } catch {
    return 0;
  }
}

/** The log's text from byte `fromByte` on, at most the last `maxBytes` of it. */
export async function readLogSince(logPath: string, fromByte: number, maxBytes = 64 * 1024): Promise<string> {
  const handle = await open(logPath, 'r').catch(() => undefined);
  if (handle === undefined) return '';
  try {
    const size = (await handle.stat()).size;
    const start = Math.max(fromByte, size - maxBytes);
    const buffer = Buffer.alloc(Math.max(0, size - start));
    await handle.read(buffer, 0, buffer.length, start);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The last `count` non-empty lines of a text. */
export function lastLines(text: string, count: number): string[] {
  return text.split('\n').filter((line) => line.trim() !== '').slice(-count);
}
