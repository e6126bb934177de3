import t from 'tap';
import { KeyPool } from '../../harness/workload/key-pool.js';
import { createSeededRandom } from '../../harness/shared/seeded-random.js';

t.test('a key is retired after opsPerKey operations and a fresh key takes its slot', async (t) => {
  const pool = new KeyPool({ keys: 2, opsPerKey: 3, infoPerKey: 10 });
  t.same(pool.activeKeys, ['k0', 'k1']);
  pool.record('k0', false);
  pool.record('k0', false);
  t.same(pool.activeKeys, ['k0', 'k1']);
  pool.record('k0', false);
  t.same(pool.activeKeys, ['k2', 'k1']);
  t.same(pool.retiredKeys, ['k0']);
});

t.test('a key is retired after infoPerKey indefinite results, before its operation limit', async (t) => {
  const pool = new KeyPool({ keys: 1, opsPerKey: 100, infoPerKey: 2 });
  pool.record('k0', true);
  pool.record('k0', false);
  t.same(pool.activeKeys, ['k0']);
  pool.record('k0', true);
  t.same(pool.activeKeys, ['k1']);
});

t.test('late completions on a retired key change nothing', async (t) => {
  const pool = new KeyPool({ keys: 1, opsPerKey: 1, infoPerKey: 1 });
  pool.record('k0', false);
  pool.record('k0', true);
  t.same(pool.activeKeys, ['k1']);
  t.same(pool.retiredKeys, ['k0']);
});

t.test('choose draws only active keys; bad limits are rejected', async (t) => {
  const pool = new KeyPool({ keys: 3, opsPerKey: 5, infoPerKey: 1 });
  const random = createSeededRandom(5);
  const chosen = new Set(Array.from({ length: 60 }, () => pool.choose(random)));
  t.same([...chosen].sort(), ['k0', 'k1', 'k2']);
  t.throws(() => new KeyPool({ keys: 0, opsPerKey: 5, infoPerKey: 1 }), /at least 1/);
});
