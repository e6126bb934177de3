// The docker image of a third-party system (etcd, …), built offline from its installed binary:
// FROM scratch, the binary at the same path and the libraries ldd lists (image-context.ts),
// tagged `raft-chaos-<system>:<content hash>`; nothing is pulled from a registry.

import type Docker from 'dockerode';
import { existsSync } from 'node:fs';
import type { System } from '../../systems/system.js';
import { buildTaggedImage, type ServerImage } from './build-server-image.js';
import { connectDocker } from './docker-client.js';
import { createImageContext } from './image-context.js';
import { nodeRuntimeFiles } from './node-runtime-files.js';

export async function buildSystemImage(system: System, options: { docker?: Docker; progress?: (message: string) => void } = {}): Promise<ServerImage> {
  const progress = options.progress ?? (() => {});
  const binary = system.binaryPath;
  if (binary === undefined || !existsSync(binary)) {
    throw new Error(`system ${system.name}: its binary ${binary ?? '(none declared)'} is not here to build an image from; apt-get install ${system.debianPackage ?? 'its package'}`);
  }
  const runtime = await nodeRuntimeFiles(binary, binary);
  progress(`image: ${system.name} from ${binary} and ${runtime.length - 1} libraries`);
  const context = await createImageContext(runtime, undefined);
  return buildTaggedImage(options.docker ?? connectDocker(), context, `raft-chaos-${system.variantOf ?? system.name}`, progress);
}
