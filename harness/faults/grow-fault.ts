// grow: launch a spare (the first of the cluster's spare nodes not running) on an empty disk and
// add-member it; heal removes it again (remove-member, then the platform removes the node), so
// the cluster returns to its size. The step's target is ignored: the new node is the target.
// Evidence: the added node and the voters the leader acknowledged the change with (it must be
// among them); at heal, the voters after its removal (it must not be).

import { once, type Fault, type FaultContext } from './fault.js';
import { launchAndAdd, removeAndStop } from './membership-change.js';

export const growFault: Fault<'grow'> = {
  kind: 'grow',
  needs: ['membership'],
  defaultTarget: 'all',
  nemesisTargets: [{ kind: 'all' }],
  nemesisByDefault: false,
  async start(context) {
    const node = nextSpare(context);
    const evidence = await launchAndAdd(context, [node]);
    return {
      kind: 'grow',
      targets: [node],
      evidence,
      heal: once(async () => removeAndStop(context, [node])),
    };
  },
};

function nextSpare(context: FaultContext): string {
  const spare = context.spareNodes.find((node) => !context.cluster.nodes.includes(node));
  if (spare === undefined) {
    throw new Error(`grow: no spare node left to add (spares ${context.spareNodes.join(', ') || 'none'} all run); the runner gives the cluster one spare per grow step, and one for a nemesis that may grow`);
  }
  return spare;
}
