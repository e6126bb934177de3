// After the final heal of a plan that changes membership: asks every node the platform runs for
// its status until all report the same configuration (a follower may learn the last change one
// heartbeat late), or the deadline passes; returns what they reported last, for the final
// configuration check (harness/checkers/final-configuration-checker.ts).

import type { FinalConfiguration } from '../checkers/run-facts.js';
import type { StatusProbe, StatusSnapshot } from '../cluster-health/status-snapshot.js';
import { takeStatusSnapshot } from '../cluster-health/take-status-snapshot.js';
import { pollUntil } from '../shared/poll-until.js';

const agreementWaitMs = 10_000;

export async function probeFinalConfiguration(input: { nodes: readonly string[]; expectedSize: number; probe: StatusProbe; progress: (line: string) => void; signal?: AbortSignal }): Promise<FinalConfiguration> {
  const expectedVoters = [...input.nodes].sort();
  const outcome = await pollUntil<FinalConfiguration['views']>({
    what: `every node to report the configuration ${expectedVoters.join(', ')}`,
    timeoutMs: agreementWaitMs,
    intervalMs: 200,
    progressEveryMs: 5000,
    progress: input.progress,
    ...(input.signal !== undefined ? { signal: input.signal } : {}),
    attempt: async () => {
      const views = configurationViews(await takeStatusSnapshot(input.nodes, input.probe));
      const agreed = Object.values(views).every((view) => view !== null && view.learners.length === 0 && [...view.voters].sort().join() === expectedVoters.join());
      return { done: agreed, finding: views, describe: JSON.stringify(views) };
    },
  });
  return { expectedVoters, expectedSize: input.expectedSize, views: outcome.finding ?? {} };
}

/** Pure: each node's reported voters and learners, null for a node that did not answer. */
export function configurationViews(snapshot: StatusSnapshot): FinalConfiguration['views'] {
  return Object.fromEntries(
    snapshot.answers.map((answer) => {
      if (!answer.answered) return [answer.node, null];
      const members = answer.status.members ?? [];
      return [answer.node, { voters: members.filter((member) => member.role === 'voter').map((member) => member.id), learners: members.filter((member) => member.role === 'learner').map((member) => member.id) }];
    }),
  );
}
