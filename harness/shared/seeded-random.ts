// The harness's one seeded random number generator. Every purpose (target choice, the nemesis
// schedule, the workload's operation mix, the platforms' link jitter and drops) gets its own
// sub-seed derived from the run seed, so adding draws for one purpose never changes the choices
// made for another.

import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface SeededRandom {
  /** The seed this generator started from. */
  readonly seed: number;
  /** A uniform integer in [minimum, maximum], both included. */
  integer(minimum: number, maximum: number): number;
  /** A uniform number in [0, 1). */
  fraction(): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** A shuffled copy of the list (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** A fresh generator for a sub-purpose, derived from this one's seed and the purpose name. */
  derive(purpose: string): SeededRandom;
}

const fractionResolution = 2 ** 30;

/** FNV-1a over the purpose, mixed with the seed: a stable 32-bit sub-seed per purpose. */
export function deriveSeed(seed: number, purpose: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  hash = Math.imul(hash, 0x01000193);
  hash ^= Math.floor(seed / 2 ** 32) >>> 0;
  for (const character of purpose) {
    hash ^= character.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function createSeededRandom(seed: number): SeededRandom {
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`createSeededRandom: the seed must be a safe integer, got ${seed}; pass the run seed as printed in the replay command`);
  }
  const generator = xoroshiro128plus((seed % 2 ** 32) ^ Math.floor(seed / 2 ** 32));
  const random: SeededRandom = {
    seed,
    integer(minimum, maximum) {
      if (!Number.isInteger(minimum) || !Number.isInteger(maximum) || maximum < minimum) {
        throw new Error(`SeededRandom.integer: expected integers minimum <= maximum, got [${minimum}, ${maximum}]`);
      }
      return uniformInt(generator, minimum, maximum);
    },
    fraction() {
      return uniformInt(generator, 0, fractionResolution - 1) / fractionResolution;
    },
    pick(items) {
      if (items.length === 0) throw new Error('SeededRandom.pick: cannot pick from an empty list');
      return items[random.integer(0, items.length - 1)] as (typeof items)[number];
    },
    shuffle(items) {
      const copy = [...items];
      for (let index = copy.length - 1; index > 0; index -= 1) {
        const other = random.integer(0, index);
        [copy[index], copy[other]] = [copy[other] as (typeof copy)[number], copy[index] as (typeof copy)[number]];
      }
      return copy;
    },
    derive(purpose) {
      return createSeededRandom(deriveSeed(seed, purpose));
    },
  };
  return random;
}
