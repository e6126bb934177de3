// lossy-links: drop a fraction of the traffic on every link touching the targets. Default 0.3.

import type { Fault } from './fault.js';
import { linkShapeFault } from './link-shape-fault.js';

export const lossyLinksFault: Fault<'lossy-links'> = linkShapeFault(
  'lossy-links',
  {
    schema: {
      dropRate: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        expected: 'a fraction from 0 to 1',
        description: 'lossy-links: fraction of traffic dropped.',
        default: 0.3,
      },
    },
    toStep: (step) => ({ dropRate: step.dropRate as number }),
  },
  (parameters) => ({ delayMs: parameters.delayMs ?? 0, jitterMs: parameters.jitterMs ?? 0, dropRate: parameters.dropRate ?? 0.3 }),
);
