// The tar a node container's config files are put into its data directory with (dockerode
// `container.putArchive`, before the container starts): each file owned by the image's user and
// readable by it, at its path relative to the data directory.

import { pack } from 'tar-stream';
import { serverUserId } from '../../server-image/image-context.js';

export async function launchFilesArchive(files: Readonly<Record<string, string>>): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of archive) chunks.push(chunk as Buffer);
  })();
  for (const [path, content] of Object.entries(files).sort(([left], [right]) => left.localeCompare(right))) {
    if (path.startsWith('/') || path.split('/').includes('..')) throw new Error(`config file ${path}: expected a path inside the data directory`);
    await new Promise<void>((resolve, reject) => {
      archive.entry({ name: path, mode: 0o644, uid: serverUserId, gid: serverUserId, mtime: new Date(0) }, content, (error) => (error ? reject(error) : resolve()));
    });
  }
  archive.finalize();
  await collected;
  return Buffer.concat(chunks);
}
