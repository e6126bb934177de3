// `harness image build`: the docker platform's server image.

export async function imageBuildCommand(write: (text: string) => void): Promise<number> {
  const { buildServerImage } = await import('../platforms/docker/build-server-image.js');
  const image = await buildServerImage({ progress: (line) => write(`${line}\n`) });
  write(`${image.tag} ${image.built ? 'built' : 'already up to date'}\n`);
  return 0;
}
