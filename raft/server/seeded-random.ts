// A small seeded random number generator (mulberry32) for the core's election jitter, seeded from
// RAFT_SEED mixed with the node's name so that nodes sharing a seed still draw different timeouts.

export function seededRandom(seed: number, node: string): () => number {
  let state = mix(seed, node) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function mix(seed: number, node: string): number {
  let hash = (seed ^ 0x9e3779b9) >>> 0;
  for (const character of `${node}`) hash = Math.imul(hash ^ character.charCodeAt(0), 0x01000193) >>> 0;
  return hash ^ Math.floor(seed / 4294967296);
}
