// sweep() of the docker platform: removes the labelled containers, networks and volumes of runs
// whose harness process is gone (interrupted, killed), and keeps those of runs still going on
// this host unless `all` is set. Returns a line per object removed.

import type Docker from 'dockerode';
import { dockerLabelFilters, ownerLabel, runLabel } from './docker-labels.js';
import { ownerIsAlive } from './harness-owner.js';
import { removeLabelled } from './remove-labelled.js';

export interface SweepDockerOptions {
  /** Also remove runs whose harness process is still alive. */
  all?: boolean;
}

export async function sweepAbandonedRuns(docker: Docker, options: SweepDockerOptions = {}): Promise<string[]> {
  if (options.all === true) return removeLabelled(docker);
  const removed: string[] = [];
  for (const [runId, owner] of await labelledRuns(docker)) {
    if (await ownerIsAlive(owner)) continue;
    removed.push(...(await removeLabelled(docker, runId)));
  }
  return removed;
}

/** Every run with a labelled object, and its owner label (from any of its objects). */
async function labelledRuns(docker: Docker): Promise<Map<string, string | undefined>> {
  const filters = JSON.stringify(dockerLabelFilters());
  const labels: Array<Record<string, string> | undefined> = [
    ...(await docker.listContainers({ all: true, filters })).map((container) => container.Labels),
    ...(await docker.listNetworks({ filters })).map((network) => network.Labels),
    ...((await docker.listVolumes({ filters })).Volumes ?? []).map((volume) => volume.Labels as Record<string, string> | undefined),
  ];
  const runs = new Map<string, string | undefined>();
  for (const objectLabels of labels) {
    const runId = objectLabels?.[runLabel];
    if (runId === undefined) continue;
    runs.set(runId, runs.get(runId) ?? objectLabels?.[ownerLabel]);
  }
  return runs;
}
