// The build context (a tar) of the server image: FROM scratch, the node runtime, the bundle,
// a non-root user, a writable /data and /tmp. Entries have fixed times so equal inputs give
// equal bytes, and the content hash can tag the image.

import { pack } from 'tar-stream';
import { readFile } from 'node:fs/promises';
import { imageNodePath, type RuntimeFile } from './node-runtime-files.js';
import { partOfLabel, partOfValue } from '../platform/labels.js';

export const serverUserId = 10001;
/** Where the bundle goes in the image; the context holds it at the same relative path. */
export const imageBundlePath = '/app/server.mjs';
const fixedTime = new Date(0);

/** The start of every image's Dockerfile: the root file system and a writable /data and /tmp. */
const rootfsLines = [
  'FROM scratch',
  'COPY rootfs/ /',
  `COPY --chown=${serverUserId}:${serverUserId} data /data`,
  `COPY --chown=${serverUserId}:${serverUserId} tmp /tmp`,
];

export function serverDockerfile(): string {
  return [
    ...rootfsLines,
    // Last, so a changed server reuses the cached runtime layers and adds only the bundle.
    'COPY app/ /app/',
    `USER ${serverUserId}:${serverUserId}`,
    'WORKDIR /data',
    'ENV NODE_ENV=production',
    `LABEL ${partOfLabel}=${partOfValue}`,
    `ENTRYPOINT ["${imageNodePath}", "${imageBundlePath}"]`,
    '',
  ].join('\n');
}

function identityFiles(): Array<{ name: string; text: string }> {
  return [
    { name: 'rootfs/etc/passwd', text: `root:x:0:0:root:/root:/sbin/nologin\nraft:x:${serverUserId}:${serverUserId}:raft:/data:/sbin/nologin\n` },
    { name: 'rootfs/etc/group', text: `root:x:0:\nraft:x:${serverUserId}:\n` },
    { name: 'rootfs/etc/nsswitch.conf', text: 'passwd: files\ngroup: files\nhosts: files dns\n' },
  ];
}

function addEntry(archive: ReturnType<typeof pack>, header: Parameters<ReturnType<typeof pack>['entry']>[0], body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null): void => (error ? reject(error) : resolve());
    const fullHeader = { mtime: fixedTime, uid: 0, gid: 0, ...header };
    if (body === undefined) archive.entry(fullHeader, done);
    else archive.entry(fullHeader, body, done);
  });
}

async function collect(archive: ReturnType<typeof pack>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The image of a system's own server binary (etcd, …): FROM scratch, the binary and its
 * libraries, the same user and writable /data and /tmp; no entrypoint: each container gets the
 * system's command line.
 */
export function systemDockerfile(): string {
  return [
    ...rootfsLines,
    `USER ${serverUserId}:${serverUserId}`,
    'WORKDIR /data',
    `LABEL ${partOfLabel}=${partOfValue}`,
    '',
  ].join('\n');
}

/** Builds the whole context in memory: the server image with the bundle, or a system's image without. */
export async function createImageContext(runtime: RuntimeFile[], bundle: Buffer | undefined): Promise<Buffer> {
  const archive = pack();
  const output = collect(archive);
  await addEntry(archive, { name: 'Dockerfile', mode: 0o644 }, Buffer.from(bundle === undefined ? systemDockerfile() : serverDockerfile()));
  for (const file of identityFiles()) {
    await addEntry(archive, { name: file.name, mode: 0o644 }, Buffer.from(file.text));
  }
  const added = new Set<string>();
  for (const file of runtime) {
    if (added.has(file.imagePath)) continue;
    added.add(file.imagePath);
    if (file.linkTarget !== undefined) await addEntry(archive, { name: `rootfs${file.imagePath}`, type: 'symlink', linkname: file.linkTarget, mode: 0o777 });
    else await addEntry(archive, { name: `rootfs${file.imagePath}`, mode: 0o755 }, await readFile(file.sourcePath));
  }
  if (bundle !== undefined) await addEntry(archive, { name: imageBundlePath.slice(1), mode: 0o644 }, bundle);
  await addEntry(archive, { name: 'data', type: 'directory', mode: 0o700 });
  await addEntry(archive, { name: 'tmp', type: 'directory', mode: 0o1777 });
  archive.finalize();
  return output;
}
