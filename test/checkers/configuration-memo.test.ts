// The search's memo stores linearized sets compactly; it must still tell every two sets apart.

import t from 'tap';
import { ConfigurationMemo } from '../../harness/checkers/configuration-memo.js';
import { mulberry32 } from '../../raft/core/mulberry32.js';

t.test('the memo answers like a set of (bits, state), whatever the hash', async (t) => {
  const random = mulberry32(7);
  const operations = 150;
  const open = Array.from({ length: operations }, () => random() < 0.1);
  const memo = new ConfigurationMemo(open);
  const reference = new Set<string>();
  const bits = new Uint32Array(Math.ceil(operations / 32));
  const mismatches: string[] = [];
  let repeats = 0;
  for (let round = 0; round < 20_000; round++) {
    // Sets shaped like the search's: a full prefix, a few mixed operations after it, open ones anywhere.
    bits.fill(0);
    const prefix = Math.floor(random() * operations);
    for (let operation = 0; operation < operations; operation++) {
      const inPrefix = operation < prefix && !(open[operation] && random() < 0.5);
      const mixed = operation >= prefix && operation < prefix + 6 && random() < 0.5;
      if (inPrefix || mixed || (open[operation] && random() < 0.05)) bits[operation >>> 5]! |= 1 << (operation & 31);
    }
    const state = Math.floor(random() * 3);
    const key = `${state}:${[...bits].join(',')}`;
    const isNew = !reference.has(key);
    reference.add(key);
    if (!isNew) repeats++;
    // A deliberately poor hash (the number of operations, mod 7) so that different sets collide.
    const answer = memo.remember(bits, state, [...bits].reduce((total, word) => total + popCount(word), 0) % 7);
    if (answer !== isNew) mismatches.push(`round ${round}: memo ${answer}, expected ${isNew}`);
  }
  t.same(mismatches.slice(0, 5), [], `${mismatches.length} mismatches`);
  t.ok(repeats > 300, `${repeats} repeated configurations recognised`);
});

function popCount(word: number): number {
  let count = 0;
  for (let rest = word >>> 0; rest !== 0; rest >>>= 1) count += rest & 1;
  return count;
}
