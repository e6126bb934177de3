// slow-links: delay (and jitter) every link touching the targets. Defaults: 100 ms, 20 ms jitter.

import { validatedDurationMs } from '../scenario/duration.js';
import { duration } from '../scenario/schema-node.js';
import type { Fault } from './fault.js';
import { linkShapeFault } from './link-shape-fault.js';

export const slowLinksFault: Fault<'slow-links'> = linkShapeFault(
  'slow-links',
  {
    schema: {
      delay: duration('slow-links: added one-way delay.', '100ms'),
      jitter: duration('slow-links: random extra delay up to this.', '20ms'),
    },
    toStep: (step) => ({ delayMs: validatedDurationMs(step.delay), jitterMs: validatedDurationMs(step.jitter) }),
  },
  (parameters) => ({ delayMs: parameters.delayMs ?? 200, jitterMs: parameters.jitterMs ?? 50, dropRate: 0 }),
);
