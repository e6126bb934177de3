// `harness image build`: the docker platform's server image.

import { PlatformError } from './usage-error.js';

export async function imageBuildCommand(write: (text: string) => void): Promise<number> {
  const { buildServerImage } = await import('../server-image/build-server-image.js');
  try {
    const image = await buildServerImage({ progress: (line) => write(`${line}\n`) });
    write(`${image.tag} ${image.built ? 'built' : 'already up to date'}\n`);
    return 0;
  } catch (error) {
    throw new PlatformError(
      `the server image could not be built: ${(error as Error).message}\n` +
        'next: make sure `npm run build` succeeds and a Docker daemon answers (DOCKER_HOST, default /var/run/docker.sock), then retry',
    );
  }
}
