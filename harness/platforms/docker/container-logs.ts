// A container's output so far (stdout and stderr interleaved as the daemon stored them).

import type Docker from 'dockerode';
import { demuxDockerLog } from './demux-docker-log.js';

export async function containerLogs(container: Docker.Container): Promise<Buffer> {
  try {
    const raw = await container.logs({ stdout: true, stderr: true, follow: false });
    return demuxDockerLog(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return Buffer.alloc(0);
    throw error;
  }
}

/** The last `count` lines of a container's output, for error messages. */
export async function lastLogLines(container: Docker.Container, count = 10): Promise<string> {
  const lines = (await containerLogs(container).catch(() => Buffer.alloc(0))).toString('utf8').trimEnd().split('\n');
  return lines.slice(-count).join('\n');
}
