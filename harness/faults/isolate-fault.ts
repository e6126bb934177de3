// isolate: each target alone, cut from every other node both ways.

import { leaderOrRandomNode, type Fault } from './fault.js';
import { linkCutFault } from './link-cut-fault.js';

export const isolateFault: Fault<'isolate'> = linkCutFault({
  kind: 'isolate',
  defaultTarget: 'leader',
  nemesisTargets: leaderOrRandomNode,
  groupsOf: (targets, nodes) => [...targets.map((node) => [node]), nodes.filter((node) => !targets.includes(node))],
});
