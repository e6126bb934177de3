// pause: freeze the targets (SIGSTOP, docker pause); heal resumes them.
// Evidence: the paused targets stopped answering status; at heal, they answer again.

import { once, type Fault } from './fault.js';
import { probeTargets } from './probe-targets.js';
import { waitUntilBack } from './wait-until-back.js';

export const pauseFault: Fault = {
  kind: 'pause',
  needs: ['pause'],
  async start(context, targets) {
    await Promise.all(targets.map((node) => context.cluster.pause(node)));
    const whilePaused = await probeTargets(context.probe, targets);
    return {
      kind: 'pause',
      targets,
      evidence: { whilePaused },
      heal: once(async () => {
        await Promise.all(targets.map((node) => context.cluster.resume(node)));
        await Promise.all(targets.map((node) => waitUntilBack(context, context.cluster, node)));
        return { answeringAgain: [...targets] };
      }),
    };
  },
};
