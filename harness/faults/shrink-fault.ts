// shrink: remove-member the targets (the leader by default: it steps down once its removal
// commits), then the platform stops them for good and deletes their data; heal brings each back
// under the same name on an empty disk (started to join, then add-member), restoring the size.
// Several targets (`followers`, `minority`) are removed with concurrent requests, as a scale-down
// by more than one asks: the server must still change one server at a time. Evidence: the voters
// the last removal was acknowledged with (no target may be among them); at heal, the voters after
// they were added back (every target must be among them).

import { leaderOrRandomNode, once, type Fault } from './fault.js';
import { launchAndAdd, removeAndStop } from './membership-change.js';

export const shrinkFault: Fault<'shrink'> = {
  kind: 'shrink',
  needs: ['membership'],
  defaultTarget: 'leader',
  nemesisTargets: leaderOrRandomNode,
  nemesisByDefault: false,
  async start(context, targets) {
    if (targets.length === 0 || targets.length >= context.cluster.nodes.length) {
      throw new Error(`shrink: would remove ${targets.length} of the ${context.cluster.nodes.length} nodes (${targets.join(', ') || 'none'}); at least one must stay and one must go: target leader, random-follower, followers, minority or a node`);
    }
    const evidence = await removeAndStop(context, targets);
    return {
      kind: 'shrink',
      targets,
      evidence,
      heal: once(async () => launchAndAdd(context, targets)),
    };
  },
};
