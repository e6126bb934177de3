// `harness cluster up|down --platform kind|docker`: the long-lived infrastructure a platform
// runs on. kind: create or delete the kind cluster. docker: build the server image (up) or
// sweep every labelled container, network and volume (down).

import { loadPlatform, parsePlatformName } from './platform-loader.js';
import { imageBuildCommand } from './image-command.js';
import { UsageError } from './usage-error.js';

export async function clusterCommand(action: 'up' | 'down', platformFlag: string, write: (text: string) => void): Promise<number> {
  const platform = parsePlatformName(platformFlag);
  if (platform === 'local') throw new UsageError('cluster up|down: expected --platform docker or kind; the local platform needs no cluster');
  if (platform === 'docker') return action === 'up' ? imageBuildCommand(write) : sweepDocker(write);
  return action === 'up' ? kindUp(write) : kindDown(write);
}

async function sweepDocker(write: (text: string) => void): Promise<number> {
  const removed = await (await loadPlatform('docker')).sweep();
  write(removed.length === 0 ? 'docker: nothing to remove\n' : removed.map((line) => `docker: ${line}\n`).join(''));
  return 0;
}

async function kindUp(write: (text: string) => void): Promise<number> {
  const { createKindCluster, kindClusterExists } = await import('../platforms/kind/kind-cli.js');
  const { kindSettings } = await import('../platforms/kind/kind-settings.js');
  const { packageRoot } = await import('../scenario/scenario-catalog.js');
  const { join } = await import('node:path');
  if (await kindClusterExists(kindSettings.clusterName)) {
    write(`kind cluster ${kindSettings.clusterName} already exists\n`);
    return 0;
  }
  await createKindCluster(kindSettings.clusterName, join(packageRoot(), 'kind', 'cluster.yaml'), (line) => write(`${line}\n`));
  write(`kind cluster ${kindSettings.clusterName} is up\n`);
  return 0;
}

async function kindDown(write: (text: string) => void): Promise<number> {
  const { deleteKindCluster, kindClusterExists } = await import('../platforms/kind/kind-cli.js');
  const { kindSettings } = await import('../platforms/kind/kind-settings.js');
  if (!(await kindClusterExists(kindSettings.clusterName))) {
    write(`kind cluster ${kindSettings.clusterName} does not exist\n`);
    return 0;
  }
  await deleteKindCluster(kindSettings.clusterName);
  write(`kind cluster ${kindSettings.clusterName} deleted\n`);
  return 0;
}
