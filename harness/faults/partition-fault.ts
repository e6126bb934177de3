// partition: the targets on one side, the rest on the other (a minority/majority split).

import { splitFromRest } from './complete-grudge.js';
import type { Fault } from './fault.js';
import { linkCutFault } from './link-cut-fault.js';

export const partitionFault: Fault<'partition'> = linkCutFault({
  kind: 'partition',
  defaultTarget: 'minority',
  nemesisTargets: [{ kind: 'minority' }],
  groupsOf: (targets, nodes) => splitFromRest(targets, nodes),
});
