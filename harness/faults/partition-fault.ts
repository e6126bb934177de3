// partition: the targets on one side, the rest on the other (a minority/majority split).

import { splitFromRest } from './complete-grudge.js';
import { linkCutFault } from './link-cut-fault.js';

export const partitionFault = linkCutFault('partition', (targets, nodes) => splitFromRest(targets, nodes));
