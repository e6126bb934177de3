// shrink: remove-member the target (the leader by default: it steps down once its removal
// commits), then the platform stops it for good and deletes its data; heal brings it back under
// the same name on an empty disk (started to join, then add-member), restoring the size.
// Evidence: the voters the change was acknowledged with (the target must not be among them); at
// heal, the voters after it was added back (it must be among them).

import { leaderOrRandomNode, once, type Fault } from './fault.js';
import { launchAndAdd, removeAndStop } from './membership-change.js';

export const shrinkFault: Fault<'shrink'> = {
  kind: 'shrink',
  needs: ['membership'],
  defaultTarget: 'leader',
  nemesisTargets: leaderOrRandomNode,
  nemesisByDefault: false,
  async start(context, targets) {
    const node = onlyTarget('shrink', targets);
    const evidence = await removeAndStop(context, node);
    return {
      kind: 'shrink',
      targets: [node],
      evidence,
      heal: once(async () => launchAndAdd(context, node)),
    };
  },
};

/** Membership changes go one server at a time: a fault that removes takes one node. */
export function onlyTarget(kind: string, targets: readonly string[]): string {
  const [node] = targets;
  if (node === undefined || targets.length !== 1) {
    throw new Error(`${kind}: changes the membership one server at a time and needs exactly one target, got ${targets.length} (${targets.join(', ') || 'none'}); target leader, random-follower, random-node or a node`);
  }
  return node;
}
