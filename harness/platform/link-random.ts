// The random source of one link's jitter and drops: a sub-seed of the run's seed per link when
// the spec carries one, so a seed replays a slow or lossy run whatever the other links carry.

import { createSeededRandom } from '../shared/seeded-random.js';
import type { ClusterSpec, Link } from './platform.js';

/** Numbers in [0, 1) for the link; Math.random when the spec has no seed. */
export function linkRandom(spec: Pick<ClusterSpec, 'seed'>, link: Link): () => number {
  if (spec.seed === undefined) return Math.random;
  const random = createSeededRandom(spec.seed).derive(`link ${link.from}>${link.to}`);
  return () => random.fraction();
}
