// Every fault kind and the fault that implements it; the runner checks `needs` against the
// platform's capabilities before anything starts.

import type { Capability } from '../platform/platform.js';
import type { FaultKind } from '../scenario/plan.js';
import type { Fault } from './fault.js';
import { isolateFault } from './isolate-fault.js';
import { killFault } from './kill-fault.js';
import { lossyLinksFault } from './lossy-links-fault.js';
import { partitionFault } from './partition-fault.js';
import { pauseFault } from './pause-fault.js';
import { powerLossFault } from './power-loss-fault.js';
import { slowLinksFault } from './slow-links-fault.js';
import { stopFault } from './stop-fault.js';

export const faultRegistry: Readonly<Record<FaultKind, Fault>> = {
  kill: killFault,
  stop: stopFault,
  pause: pauseFault,
  isolate: isolateFault,
  partition: partitionFault,
  'slow-links': slowLinksFault,
  'lossy-links': lossyLinksFault,
  'power-loss': powerLossFault,
};

/** The capabilities the given fault kinds need that the platform lacks, with the faults needing each. */
export function missingCapabilities(kinds: readonly FaultKind[], available: ReadonlySet<Capability>): { capability: Capability; faults: FaultKind[] }[] {
  const missing = new Map<Capability, FaultKind[]>();
  for (const kind of new Set(kinds)) {
    for (const capability of faultRegistry[kind].needs) {
      if (!available.has(capability)) missing.set(capability, [...(missing.get(capability) ?? []), kind]);
    }
  }
  return [...missing].map(([capability, faults]) => ({ capability, faults }));
}
