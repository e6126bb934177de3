// The kind node containers, through dockerode: stop, start, pause and resume the machine that
// hosts a pod, and run iptables / tc inside it.

import Docker from 'dockerode';
import { Writable } from 'node:stream';

export class KindNodeContainers {
  constructor(private readonly docker: Docker = new Docker()) {}

  async stop(nodeName: string): Promise<void> {
    await this.ignoreState(() => this.docker.getContainer(nodeName).stop({ t: 10 }), 304);
  }

  async start(nodeName: string): Promise<void> {
    await this.ignoreState(() => this.docker.getContainer(nodeName).start(), 304);
  }

  async pause(nodeName: string): Promise<void> {
    await this.docker.getContainer(nodeName).pause();
  }

  async resume(nodeName: string): Promise<void> {
    await this.ignoreState(() => this.docker.getContainer(nodeName).unpause(), 409);
  }

  async state(nodeName: string): Promise<{ running: boolean; paused: boolean; id: string }> {
    const info = await this.docker.getContainer(nodeName).inspect();
    return { running: info.State.Running, paused: info.State.Paused, id: info.Id };
  }

  /** Runs a command in the node container; rejects with its output when it exits non-zero. */
  async exec(nodeName: string, command: string[]): Promise<string> {
    const execution = await this.docker.getContainer(nodeName).exec({
      Cmd: command,
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await execution.start({ hijack: true, stdin: false });
    const output = await collectDemuxed(this.docker, stream);
    const { ExitCode } = await execution.inspect();
    if (ExitCode !== 0) {
      throw new Error(`in kind node ${nodeName}: \`${command.join(' ')}\` exited ${ExitCode}: ${output.trim().slice(-500)}`);
    }
    return output;
  }

  private async ignoreState(action: () => Promise<unknown>, alreadyThereCode: number): Promise<void> {
    try {
      await action();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== alreadyThereCode) throw error;
    }
  }
}

async function collectDemuxed(docker: Docker, stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  return Buffer.concat(chunks).toString('utf8');
}
