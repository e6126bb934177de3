// kill: SIGKILL the targets; the platform's supervisor restarts them after restartDelayMs.
// Evidence: each target's instance before, and at heal the new instance (it must differ).

import { once, type Fault } from './fault.js';
import { waitUntilBack } from './wait-until-back.js';

export const killFault: Fault = {
  kind: 'kill',
  needs: ['kill'],
  async start(context, targets) {
    const before = await Promise.all(targets.map((node) => context.cluster.identity(node)));
    await Promise.all(targets.map((node) => context.cluster.kill(node)));
    return {
      kind: 'kill',
      targets,
      evidence: { instancesBefore: Object.fromEntries(before.map((identity) => [identity.node, identity.instance])) },
      heal: once(async () => {
        const after = await Promise.all(before.map((identity) => waitUntilBack(context, context.cluster, identity.node, identity.instance)));
        return { instancesAfter: Object.fromEntries(after.map((identity) => [identity.node, identity.instance])), replaced: true };
      }),
    };
  },
};
