// Test helpers for the drivers: repeat an operation until the cluster acknowledges it (a freshly started
// cluster is still electing), within a deadline.

import type { OperationResult } from '../../raft/client/operation-result.js';
import { pollUntil } from '../../harness/shared/poll-until.js';

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

/** Pauses every node (resumed at teardown) and returns what a put then gets. */
export async function putWhilePaused(
  cluster: { nodes: string[]; pause(node: string): void; resume(node: string): void },
  put: () => Promise<OperationResult>,
  teardown: (cleanup: () => void) => void,
): Promise<OperationResult> {
  for (const node of cluster.nodes) cluster.pause(node);
  teardown(() => cluster.nodes.forEach((node) => cluster.resume(node)));
  return put();
}
