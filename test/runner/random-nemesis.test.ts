import t from 'tap';
import { nemesisFaultStep, nemesisRounds } from '../../harness/runner/random-nemesis.js';
import { createSeededRandom } from '../../harness/shared/seeded-random.js';

t.test('the nemesis schedule is a pure function of the seed', async (t) => {
  const schedule = (seed: number) => {
    const random = createSeededRandom(seed);
    return Array.from({ length: 10 }, (_, index) => nemesisFaultStep(['kill', 'partition', 'pause'], index + 1, 'x.yaml:3:5', random));
  };
  t.same(schedule(8), schedule(8));
  t.notSame(schedule(8), schedule(9));
  const steps = schedule(8);
  t.ok(steps.every((step) => ['kill', 'partition', 'pause'].includes(step.fault)));
  t.ok(steps.filter((step) => step.fault === 'partition').every((step) => step.target.kind === 'minority'), 'partitions split off a minority');
  t.equal(new Set(steps.map((step) => step.id)).size, 10, 'every nemesis fault has its own id');
  t.match(steps[0]!.source, /^nemesis@x\.yaml:3:5$/);
});

t.test('rounds fit the duration, at least one', async (t) => {
  t.equal(nemesisRounds(10_000, 1000, 1500), 4);
  t.equal(nemesisRounds(100, 1000, 1500), 1);
});
