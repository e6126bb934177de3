// pause: freeze the targets (SIGSTOP, docker pause); heal resumes them.
// Evidence: which paused targets still answered status (must be none), the term before and
// after when the leader was paused; at heal, the targets answer again.

import { electionExpected, termAfterEvidence, termBeforeEvidence } from './election-evidence.js';
import { leaderOrRandomNode, once, type Fault } from './fault.js';
import { probeTargets } from './probe-targets.js';
import { waitUntilBack } from './wait-until-back.js';

export const pauseFault: Fault<'pause'> = {
  kind: 'pause',
  needs: ['pause'],
  defaultTarget: 'leader',
  nemesisTargets: leaderOrRandomNode,
  nemesisByDefault: true,
  async start(context, targets) {
    const terms = termBeforeEvidence(context, electionExpected(context, targets));
    await Promise.all(targets.map((node) => context.cluster.pause(node)));
    const probed = await probeTargets(context.probe, targets);
    return {
      kind: 'pause',
      targets,
      evidence: { answeredWhilePaused: probed.answered, silence: probed.details, ...terms },
      heal: once(async () => {
        const termEvidence = await termAfterEvidence(context, terms);
        await Promise.all(targets.map((node) => context.cluster.resume(node)));
        await Promise.all(targets.map((node) => waitUntilBack(context, context.cluster, node)));
        return { answeringAgain: [...targets], ...termEvidence };
      }),
    };
  },
};
