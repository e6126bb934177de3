// slow-links: delay (and jitter) every link touching the targets. Defaults: 200 ms, 50 ms jitter.

import { linkShapeFault } from './link-shape-fault.js';

export const slowLinksFault = linkShapeFault('slow-links', (step) => ({ delayMs: step.delayMs ?? 200, jitterMs: step.jitterMs ?? 50, dropRate: 0 }));
