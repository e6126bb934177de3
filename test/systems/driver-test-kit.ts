// Test helpers for the third-party drivers: a 3-node cluster of a system started by the local
// platform from the system's launch recipe (torn down with its directories at the test's end),
// and an operation repeated until the freshly started cluster acknowledges it.

import type { Test } from 'tap';
import type { OperationResult } from '../../raft/client/operation-result.js';
import type { ClosableStatusProbe } from '../../harness/cluster-health/client-status-probe.js';
import { createLocalPlatform } from '../../harness/platforms/local/create-local-platform.js';
import type { LocalCluster } from '../../harness/platforms/local/local-cluster.js';
import { pollUntil } from '../../harness/shared/poll-until.js';
import type { System } from '../../harness/systems/system.js';
import { fixtureSpec, makeDirs } from '../platforms/local/local-test-kit.js';

export interface SystemCluster {
  cluster: LocalCluster;
  addresses: () => Record<string, string>;
  probe: ClosableStatusProbe;
}

export async function startSystemCluster(t: Test, system: System): Promise<SystemCluster> {
  const dirs = await makeDirs();
  const platform = createLocalPlatform({ stateDir: dirs.stateDir, teardownGraceMs: 5_000 });
  t.teardown(dirs.remove);
  const cluster: LocalCluster = await platform.start(fixtureSpec(dirs.workDir, { system, serverCommand: undefined }));
  t.teardown(() => cluster.teardown());
  const addresses = () => Object.fromEntries(cluster.nodes.map((node) => [node, cluster.clientAddress(node)]));
  const probe = system.createStatusProbe(addresses, 2_000);
  t.teardown(() => probe.close());
  return { cluster, addresses, probe };
}

export async function untilAcknowledged(what: string, attempt: () => Promise<OperationResult>, comment: (line: string) => void): Promise<boolean> {
  const outcome = await pollUntil({
    what,
    timeoutMs: 60_000,
    intervalMs: 250,
    progressEveryMs: 10_000,
    progress: comment,
    attempt: async () => {
      const result = await attempt();
      return { done: result.ok, finding: result, describe: JSON.stringify(result) };
    },
  });
  return outcome.done;
}

/** Pauses every node, returns what a put then gets, and resumes them. */
export async function putWhilePaused(cluster: LocalCluster, put: () => Promise<OperationResult>): Promise<OperationResult> {
  for (const node of cluster.nodes) await cluster.pause(node);
  try {
    return await put();
  } finally {
    for (const node of cluster.nodes) await cluster.resume(node);
  }
}
