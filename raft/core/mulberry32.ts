// The one small seeded generator of the Raft side (mulberry32): the core's injected election
// jitter (seeded by the server from RAFT_SEED), the simulations, and the harness's generated
// histories. Pure: the same seed gives the same numbers in [0, 1).

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
