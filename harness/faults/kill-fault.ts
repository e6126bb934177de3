// kill: SIGKILL the targets; the platform's supervisor restarts them after restartDelayMs.
// Evidence: each target's instance before, and at heal the new instance (it must differ); the
// term before and after when the leader was killed.

import { electionExpected, termAfterEvidence, termBeforeEvidence } from './election-evidence.js';
import { leaderOrRandomNode, once, type Fault } from './fault.js';
import { waitUntilBack } from './wait-until-back.js';

export const killFault: Fault<'kill'> = {
  kind: 'kill',
  needs: ['kill'],
  defaultTarget: 'leader',
  nemesisTargets: leaderOrRandomNode,
  nemesisByDefault: true,
  async start(context, targets) {
    const before = await Promise.all(targets.map((node) => context.cluster.identity(node)));
    const terms = termBeforeEvidence(context, electionExpected(context, targets));
    await Promise.all(targets.map((node) => context.cluster.kill(node)));
    return {
      kind: 'kill',
      targets,
      evidence: { instanceBefore: Object.fromEntries(before.map((identity) => [identity.node, identity.instance])), ...terms },
      heal: once(async () => {
        const after = await Promise.all(before.map((identity) => waitUntilBack(context, context.cluster, identity.node, identity.instance)));
        return { instanceAfter: Object.fromEntries(after.map((identity) => [identity.node, identity.instance])), ...(await termAfterEvidence(context, terms)) };
      }),
    };
  },
};
