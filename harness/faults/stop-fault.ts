// stop: gracefully stop the targets; heal starts them again.
// Evidence: the targets stopped answering status, the term before and after when the leader
// was stopped; at heal, the instances that answer again.

import { electionExpected, termAfterEvidence, termBeforeEvidence } from './election-evidence.js';
import { once, type Fault } from './fault.js';
import { probeTargets } from './probe-targets.js';
import { waitUntilBack } from './wait-until-back.js';

export const stopFault: Fault<'stop'> = {
  kind: 'stop',
  needs: ['stopStart'],
  defaultTarget: 'leader',
  nemesisTargets: [{ kind: 'leader' }, { kind: 'random-follower' }],
  nemesisByDefault: true,
  async start(context, targets) {
    const terms = termBeforeEvidence(context, electionExpected(context, targets));
    await Promise.all(targets.map((node) => context.cluster.stop(node)));
    const probed = await probeTargets(context.probe, targets);
    return {
      kind: 'stop',
      targets,
      evidence: { answeredWhileStopped: probed.answered, ...terms },
      heal: once(async () => {
        const termEvidence = await termAfterEvidence(context, terms);
        await Promise.all(targets.map((node) => context.cluster.start(node)));
        const after = await Promise.all(targets.map((node) => waitUntilBack(context, context.cluster, node)));
        return { instanceAfter: Object.fromEntries(after.map((identity) => [identity.node, identity.instance])), ...termEvidence };
      }),
    };
  },
};
