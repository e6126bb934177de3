// A container's output so far (stdout and stderr interleaved as the daemon stored them), taken
// apart from the Docker API's multiplexed frames (an 8-byte header: stream, three zero bytes,
// the payload's length, big-endian). One loop over the frames: dockerode's demultiplexer recurses
// once per frame and overflows the stack on a long log (a ZooKeeper server's, tens of thousands of
// lines, did).

import type Docker from 'dockerode';

const headerBytes = 8;

/** Pure: whether `raw` starts like a multiplexed log (stdin, stdout or stderr frame header). */
function looksFramed(raw: Buffer): boolean {
  return raw.length >= headerBytes && raw[0]! <= 2 && raw[1] === 0 && raw[2] === 0 && raw[3] === 0;
}

/** Pure: the bytes a container wrote, from the log the API returned (framed, or plain for a TTY). */
export function demultiplexLog(raw: Buffer): Buffer {
  if (!looksFramed(raw)) return raw;
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + headerBytes <= raw.length) {
    const length = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + headerBytes, Math.min(raw.length, offset + headerBytes + length)));
    offset += headerBytes + length;
  }
  return Buffer.concat(parts);
}

export async function containerLogs(container: Docker.Container): Promise<Buffer> {
  try {
    const raw = await container.logs({ stdout: true, stderr: true, follow: false });
    return demultiplexLog(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
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
