// stop: gracefully stop the targets; heal starts them again.
// Evidence: the targets stopped answering status; at heal, they answer again.

import { once, type Fault } from './fault.js';
import { probeTargets } from './probe-targets.js';
import { waitUntilBack } from './wait-until-back.js';

export const stopFault: Fault = {
  kind: 'stop',
  needs: ['stopStart'],
  async start(context, targets) {
    await Promise.all(targets.map((node) => context.cluster.stop(node)));
    const whileStopped = await probeTargets(context.probe, targets);
    return {
      kind: 'stop',
      targets,
      evidence: { whileStopped },
      heal: once(async () => {
        await Promise.all(targets.map((node) => context.cluster.start(node)));
        const after = await Promise.all(targets.map((node) => waitUntilBack(context, context.cluster, node)));
        return { instancesAfter: Object.fromEntries(after.map((identity) => [identity.node, identity.instance])) };
      }),
    };
  },
};
