// A small seeded random number generator (mulberry32) for the core's election jitter, seeded from
// RAFT_SEED mixed with the node's name so that nodes sharing a seed still draw different timeouts.

import { mulberry32 } from '../core/mulberry32.js';

export function seededRandom(seed: number, node: string): () => number {
  return mulberry32(mix(seed, node));
}

function mix(seed: number, node: string): number {
  let hash = (seed ^ 0x9e3779b9) >>> 0;
  for (const character of `${node}`) hash = Math.imul(hash ^ character.charCodeAt(0), 0x01000193) >>> 0;
  return hash ^ Math.floor(seed / 4294967296);
}
