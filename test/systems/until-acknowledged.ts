// Test helper: repeats an operation until the cluster acknowledges it (a freshly started
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
