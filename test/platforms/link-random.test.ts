// Link jitter and drops come from the run's seed, one sub-seed per link, so a seed replays a
// slow or lossy run.

import t from 'tap';
import { linkRandom } from '../../harness/platform/link-random.js';

const draws = (random: () => number, count: number): number[] => Array.from({ length: count }, () => random());

t.test('a seed gives each link the same draws on every run', async (t) => {
  const link = { from: 'raft-0', to: 'raft-1' };
  const first = draws(linkRandom({ seed: 42 }, link), 20);
  t.same(draws(linkRandom({ seed: 42 }, link), 20), first, 'the same seed and link replay the same draws');
  t.ok(first.every((value) => value >= 0 && value < 1), 'draws are in [0, 1)');
  t.notSame(draws(linkRandom({ seed: 43 }, link), 20), first, 'another seed draws otherwise');
  t.notSame(draws(linkRandom({ seed: 42 }, { from: 'raft-1', to: 'raft-0' }), 20), first, 'each direction of a link has its own draws');
});

t.test('without a seed the draws are unseeded', async (t) => {
  t.equal(linkRandom({}, { from: 'raft-0', to: 'raft-1' }), Math.random);
});
