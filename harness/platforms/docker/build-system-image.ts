// The docker image of a third-party system (etcd, …), built offline from its installed binary:
// FROM scratch, the binary at the same path (a link to it stays a link, to the file at its real
// path), the libraries ldd lists (image-context.ts), and whatever else the system names
// (`imageContents`: ZooKeeper's JRE and jars), tagged `raft-chaos-<system>:<content hash>`;
// nothing is pulled from a registry.

import type Docker from 'dockerode';
import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import type { System } from '../../systems/system.js';
import { buildTaggedImage, type ServerImage } from '../../server-image/build-server-image.js';
import { connectDocker } from '../../shared/docker-client.js';
import { createImageContext } from '../../server-image/image-context.js';
import { nodeRuntimeFiles, type RuntimeFile } from '../../server-image/node-runtime-files.js';
import { imageContentsFiles } from './image-contents-files.js';

export async function buildSystemImage(system: System, options: { docker?: Docker; progress?: (message: string) => void } = {}): Promise<ServerImage> {
  const progress = options.progress ?? (() => {});
  const contents = system.imageContents?.();
  const binary = contents?.executable ?? system.binaryPath;
  if (binary === undefined || !existsSync(binary)) {
    throw new Error(`system ${system.name}: its binary ${binary ?? '(none declared)'} is not here to build an image from; apt-get install ${system.debianPackage ?? 'its package'}`);
  }
  const runtime = await binaryFiles(binary);
  const extra = contents === undefined ? [] : await imageContentsFiles(contents);
  const more = contents === undefined ? '' : ` and ${extra.length} more files (${contents.paths.join(', ')})`;
  progress(`image: ${system.name} from ${binary} and ${runtime.filter((file) => file.linkTarget === undefined).length - 1} libraries${more}`);
  const context = await createImageContext([...runtime, ...extra], undefined);
  return buildTaggedImage(options.docker ?? connectDocker(), context, `raft-chaos-${system.variantOf ?? system.name}`, progress);
}

/** The binary and its libraries; a binary reached through links is at its real path, linked from `binary`. */
async function binaryFiles(binary: string): Promise<RuntimeFile[]> {
  const real = await realpath(binary);
  if (real === binary) return nodeRuntimeFiles(binary, binary);
  return [...(await nodeRuntimeFiles(real, real)), { sourcePath: real, imagePath: binary, linkTarget: real }];
}
