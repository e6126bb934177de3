// isolate: each target alone, cut from every other node both ways.

import { linkCutFault } from './link-cut-fault.js';

export const isolateFault = linkCutFault('isolate', (targets, nodes) => [
  ...targets.map((node) => [node]),
  nodes.filter((node) => !targets.includes(node)),
]);
