// replace: a machine died and a new one takes its name with an empty disk: remove-member the
// target, the platform stops it for good and deletes its data, then starts it again to join and
// add-member adds it back. The size never changes for long, so heal has nothing to revert.
// Evidence: its instance before and after (they must differ), the voters after the removal (the
// target must not be among them) and after the addition (it must be).

import { leaderOrRandomNode, once, type Fault } from './fault.js';
import { launchAndAdd, removeAndStop } from './membership-change.js';

export const replaceFault: Fault<'replace'> = {
  kind: 'replace',
  needs: ['membership'],
  defaultTarget: 'random-follower',
  nemesisTargets: leaderOrRandomNode,
  nemesisByDefault: false,
  async start(context, targets) {
    const [node] = targets;
    if (node === undefined || targets.length !== 1) {
      throw new Error(`replace: replaces one node at a time, got ${targets.length} targets (${targets.join(', ') || 'none'}); target leader, random-follower, random-node or a node`);
    }
    const before = await context.cluster.identity(node);
    const removed = await removeAndStop(context, [node]);
    const added = await launchAndAdd(context, [node]);
    const after = await context.cluster.identity(node);
    return {
      kind: 'replace',
      targets: [node],
      evidence: { ...removed, ...added, instanceBefore: { [node]: before.instance }, instanceAfter: { [node]: after.instance } },
      heal: once(async () => ({})),
    };
  },
};
