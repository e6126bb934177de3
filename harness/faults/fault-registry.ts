// Every fault, in the order the docs list them. Adding a fault: its own file, one line here,
// its test; the scenario schema, the FaultKind type, the capability check, the nemesis and
// the generated docs derive from this list.

import { isolateFault } from './isolate-fault.js';
import { killFault } from './kill-fault.js';
import { lossyLinksFault } from './lossy-links-fault.js';
import { partitionFault } from './partition-fault.js';
import { pauseFault } from './pause-fault.js';
import { growFault } from './grow-fault.js';
import { powerLossFault } from './power-loss-fault.js';
import { replaceFault } from './replace-fault.js';
import { shrinkFault } from './shrink-fault.js';
import { slowLinksFault } from './slow-links-fault.js';
import { stopFault } from './stop-fault.js';

export const faults = [killFault, stopFault, pauseFault, isolateFault, partitionFault, slowLinksFault, lossyLinksFault, powerLossFault, growFault, shrinkFault, replaceFault] as const;

export type FaultKind = (typeof faults)[number]['kind'];

export const faultKinds: readonly FaultKind[] = faults.map((fault) => fault.kind);

/** What a nemesis picks from when its scenario lists no faults. */
export const nemesisDefaultFaultKinds: readonly FaultKind[] = faults.filter((fault) => fault.nemesisByDefault).map((fault) => fault.kind);

export function faultOf(kind: FaultKind): (typeof faults)[number] {
  const fault = faults.find((candidate) => candidate.kind === kind);
  if (fault === undefined) throw new Error(`internal: fault kind ${JSON.stringify(kind)} is not in harness/faults/fault-registry.ts`);
  return fault;
}
