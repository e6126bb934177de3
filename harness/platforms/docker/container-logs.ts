// A container's output so far (stdout and stderr interleaved as the daemon stored them), taken
// apart from the Docker API's multiplexed frames by dockerode's own demultiplexer.

import type Docker from 'dockerode';
import { PassThrough, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** The bytes a container wrote, from the log stream the API returned (framed, or plain for a TTY). */
export async function demultiplexLog(modem: Docker['modem'], raw: Buffer): Promise<Buffer> {
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      parts.push(chunk);
      done();
    },
  });
  const source = new PassThrough();
  modem.demuxStream(source, sink, sink);
  source.end(raw);
  await finished(source);
  sink.end();
  await finished(sink);
  return Buffer.concat(parts);
}

export async function containerLogs(container: Docker.Container): Promise<Buffer> {
  try {
    const raw = await container.logs({ stdout: true, stderr: true, follow: false });
    return await demultiplexLog(container.modem as Docker['modem'], Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
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
