// `harness cluster up|down --platform kind|docker`: the long-lived infrastructure a platform
// runs on. kind: create the kind cluster when absent, load the image, deploy and wait for a
// leader (up), or delete the kind cluster (down). docker: build the server image (up) or
// sweep every labelled container, network and volume (down).

import { loadPlatform, parsePlatformName } from './platform-loader.js';
import { imageBuildCommand } from './image-command.js';
import { PlatformError, UsageError } from './usage-error.js';

export async function clusterCommand(action: 'up' | 'down', platformFlag: string, write: (text: string) => void): Promise<number> {
  const platform = parsePlatformName(platformFlag);
  if (platform === 'local') throw new UsageError('cluster up|down: expected --platform docker or kind; the local platform needs no cluster');
  if (platform === 'docker') return action === 'up' ? imageBuildCommand(write) : sweepDocker(write);
  try {
    return await (action === 'up' ? kindUp(write) : kindDown(write));
  } catch (error) {
    throw new PlatformError(`kind cluster ${action}: ${(error as Error).message}`);
  }
}

async function sweepDocker(write: (text: string) => void): Promise<number> {
  const removed = await (await loadPlatform('docker')).sweep();
  write(removed.length === 0 ? 'docker: nothing to remove\n' : removed.map((line) => `docker: ${line}\n`).join(''));
  return 0;
}

async function kindUp(write: (text: string) => void): Promise<number> {
  const { kindClusterUp } = await import('../platforms/kind/kind-cluster-up.js');
  const { leader, term } = await kindClusterUp({ replicas: 3, progress: (line) => write(`${line}\n`) });
  write(`kind cluster is up: 3 replicas ready, ${leader} leads in term ${term}\n`);
  return 0;
}

async function kindDown(write: (text: string) => void): Promise<number> {
  const { kindClusterDown } = await import('../platforms/kind/kind-cluster-up.js');
  const { kindSettings } = await import('../platforms/kind/kind-settings.js');
  const deleted = await kindClusterDown((line) => write(`${line}\n`));
  write(deleted ? `kind cluster ${kindSettings.clusterName} deleted\n` : `kind cluster ${kindSettings.clusterName} does not exist\n`);
  return 0;
}
