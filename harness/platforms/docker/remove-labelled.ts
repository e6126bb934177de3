// Removes the containers, networks and volumes carrying the docker platform's labels (one run,
// or every run), and nothing else. Returns a line per object removed.

import type Docker from 'dockerode';
import { dockerLabelFilters } from './docker-labels.js';
import { removeContainer } from './node-container.js';

export async function removeLabelled(docker: Docker, runId?: string): Promise<string[]> {
  const filters = JSON.stringify(dockerLabelFilters(runId));
  const removed: string[] = [];
  const failures: string[] = [];
  const attempt = async (what: string, action: () => Promise<unknown>): Promise<void> => {
    try {
      await action();
      removed.push(what);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return;
      failures.push(`${what}: ${(error as Error).message}`);
    }
  };
  for (const container of await docker.listContainers({ all: true, filters })) {
    await attempt(`container ${container.Names[0]?.replace(/^\//, '') ?? container.Id}`, () => removeContainer(docker.getContainer(container.Id)));
  }
  for (const network of await docker.listNetworks({ filters })) {
    await attempt(`network ${network.Name}`, () => docker.getNetwork(network.Id).remove());
  }
  for (const volume of (await docker.listVolumes({ filters })).Volumes ?? []) {
    await attempt(`volume ${volume.Name}`, () => docker.getVolume(volume.Name).remove());
  }
  if (failures.length > 0) {
    throw new Error(`could not remove ${failures.length} docker object(s): ${failures.join('; ')}; remove them with \`docker rm -f\`, \`docker network rm\`, \`docker volume rm\``);
  }
  return removed;
}
