// lossy-links: drop a fraction of the traffic on every link touching the targets. Default 0.3.

import { linkShapeFault } from './link-shape-fault.js';

export const lossyLinksFault = linkShapeFault('lossy-links', (step) => ({ delayMs: step.delayMs ?? 0, jitterMs: step.jitterMs ?? 0, dropRate: step.dropRate ?? 0.3 }));
