// A small seeded pseudo-random generator (mulberry32) for deterministic simulations.

import { mulberry32 } from '../mulberry32.js';

export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, bound). */
  below(bound: number): number;
  /** True with probability `probability`. */
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A new independent generator derived from this one. */
  fork(): SeededRandom;
}

export function createSeededRandom(seed: number): SeededRandom {
  const next = mulberry32(seed);
  const below = (bound: number): number => Math.floor(next() * bound);
  return {
    next,
    below,
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new Error('seeded random: pick from an empty list');
      return items[below(items.length)]!;
    },
    fork: () => createSeededRandom(Math.floor(next() * 4294967296)),
  };
}
