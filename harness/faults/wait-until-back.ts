// Waits until a node answers status again, optionally as a new instance (after a kill). A heal
// that cannot bring a node back within its deadline is a platform error, not a verdict.

import { pollUntil } from '../shared/poll-until.js';
import type { NodeIdentity, StartedCluster } from '../platform/platform.js';
import type { FaultContext } from './fault.js';

export class FaultHealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultHealError';
  }
}

export async function waitUntilBack(
  context: Pick<FaultContext, 'probe' | 'healTimeoutMs' | 'progress'>,
  cluster: Pick<StartedCluster, 'identity'>,
  node: string,
  previousInstance?: string,
): Promise<NodeIdentity> {
  const outcome = await pollUntil<NodeIdentity | undefined>({
    what: previousInstance === undefined ? `${node} to answer again` : `${node} to come back as a new instance`,
    timeoutMs: context.healTimeoutMs,
    intervalMs: 100,
    progressEveryMs: 5000,
    progress: context.progress,
    attempt: async () => {
      const identity = await cluster.identity(node).catch(() => undefined);
      const replaced = previousInstance === undefined || (identity !== undefined && identity.instance !== previousInstance);
      const answer = replaced ? await context.probe(node) : undefined;
      const done = replaced && answer?.answered === true;
      const describe = !replaced ? `still instance ${previousInstance}` : answer?.answered ? 'answering' : `not answering (${answer && !answer.answered ? answer.error : 'no identity'})`;
      return { done, finding: identity, describe };
    },
  });
  if (!outcome.done || outcome.finding === undefined) {
    throw new FaultHealError(
      `${node} did not come back within ${context.healTimeoutMs} ms (${outcome.done ? 'no identity' : outcome.lastDescription}); see ${node}.log in the scenario's report directory`,
    );
  }
  return outcome.finding;
}
