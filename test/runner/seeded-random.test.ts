import t from 'tap';
import { createSeededRandom, deriveSeed } from '../../harness/shared/seeded-random.js';

function draws(seed: number, count: number): number[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, () => random.integer(0, 1_000_000));
}

t.test('the same seed gives the same sequence', async (t) => {
  t.same(draws(42, 50), draws(42, 50));
  t.notSame(draws(42, 50), draws(43, 50), 'a different seed gives a different sequence');
});

t.test('seeds beyond 32 bits are not truncated into collisions', async (t) => {
  t.notSame(draws(2 ** 40 + 7, 20), draws(7, 20));
});

t.test('sub-seeds are stable per purpose and differ between purposes', async (t) => {
  t.equal(deriveSeed(42, 'targets'), deriveSeed(42, 'targets'));
  t.not(deriveSeed(42, 'targets'), deriveSeed(42, 'nemesis'));
  t.not(deriveSeed(42, 'targets'), deriveSeed(43, 'targets'));
  const first = createSeededRandom(42).derive('workload');
  const second = createSeededRandom(42).derive('workload');
  t.same([first.fraction(), first.fraction()], [second.fraction(), second.fraction()]);
});

t.test('draws from one purpose do not shift another purpose', async (t) => {
  const root = createSeededRandom(9);
  const targets = root.derive('targets');
  targets.integer(0, 10);
  targets.integer(0, 10);
  const nemesis = root.derive('nemesis').integer(0, 1_000_000);
  t.equal(nemesis, createSeededRandom(9).derive('nemesis').integer(0, 1_000_000));
});

t.test('ranges, fractions, picks and shuffles stay in bounds', async (t) => {
  const random = createSeededRandom(1);
  const seen = new Set<number>();
  for (let index = 0; index < 500; index += 1) {
    const value = random.integer(3, 5);
    t.ok(value >= 3 && value <= 5, `integer ${value} in [3, 5]`);
    seen.add(value);
    const fraction = random.fraction();
    t.ok(fraction >= 0 && fraction < 1);
  }
  t.same([...seen].sort(), [3, 4, 5], 'every value of a small range is reached');
  t.same(random.shuffle(['a', 'b', 'c', 'd']).sort(), ['a', 'b', 'c', 'd']);
  t.ok(['x', 'y'].includes(random.pick(['x', 'y'])));
  t.throws(() => random.pick([]), /empty list/);
  t.throws(() => random.integer(5, 3), /minimum <= maximum/);
});
