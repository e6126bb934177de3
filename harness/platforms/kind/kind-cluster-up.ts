// `harness cluster up --platform kind`: creates the kind cluster when absent, builds and loads
// the server image, applies the manifests, waits until every replica is ready and a leader is
// elected, and leaves the StatefulSet running. `cluster down` deletes the kind cluster.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClientStatusProbe } from '../../cluster-health/client-status-probe.js';
import { waitForLeader } from '../../cluster-health/wait-for-leader.js';
import { deleteKindCluster, kindClusterExists } from './kind-cli.js';
import { createKindPlatform, type KindCluster } from './kind-platform.js';
import { statefulSetPodNames } from './raft-peers.js';
import { kindSettings } from './kind-settings.js';

export interface KindClusterUpOptions {
  replicas: number;
  progress: (line: string) => void;
  leaderTimeoutMs?: number;
}

export async function kindClusterUp(options: KindClusterUpOptions): Promise<{ leader: string; term: number }> {
  const workDir = await mkdtemp(join(tmpdir(), 'raft-chaos-kind-up-'));
  try {
    const nodes = statefulSetPodNames(kindSettings.statefulSetName, options.replicas);
    const cluster = (await createKindPlatform().start({
      runId: 'cluster-up',
      nodes,
      serverEnv: {},
      workDir,
      restartDelayMs: 0,
      progress: options.progress,
    })) as KindCluster;
    const statusProbe = createClientStatusProbe(() => Object.fromEntries(nodes.map((node) => [node, cluster.clientAddress(node)])));
    try {
      const found = await waitForLeader({ nodes, probe: statusProbe.probe, timeoutMs: options.leaderTimeoutMs ?? 60_000, progress: options.progress });
      if (!found.found) throw new Error(`the StatefulSet is ready but elected no leader: ${found.reason}; look at \`kubectl -n ${kindSettings.namespace} logs raft-0\``);
      return { leader: found.leader, term: found.term };
    } finally {
      statusProbe.close();
      await cluster.detach();
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

export async function kindClusterDown(progress: (line: string) => void): Promise<boolean> {
  if (!(await kindClusterExists(kindSettings.clusterName))) return false;
  progress(`deleting kind cluster ${kindSettings.clusterName}`);
  await deleteKindCluster(kindSettings.clusterName);
  return true;
}
