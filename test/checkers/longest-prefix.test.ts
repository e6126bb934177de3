// The longest linearizable prefix is the same whether the search over cuts starts from a guess
// (galloping back from it) or not, whatever the guess.

import t from 'tap';
import { longestPrefix } from '../../harness/checkers/check-register.js';
import { toRegisterOperations } from '../../harness/checkers/register-operation.js';
import { searchLinearization } from '../../harness/checkers/search-linearization.js';
import { generateHistory } from '../../harness/history/generate-history.js';
import { mulberry32 } from '../../raft/core/mulberry32.js';
import { pairOperations } from '../../harness/history/pair-operations.js';

t.test('a guessed failing cut changes the work, not the answer', async (t) => {
  const differences: string[] = [];
  let compared = 0;
  for (let seed = 1; seed <= 600 && compared < 150; seed++) {
    const random = mulberry32(seed);
    const operations = toRegisterOperations(pairOperations(generateHistory({ seed, operations: 30, keys: 1, clients: 3, anomaly: 'stale-read', latencyNs: [1, 40], thinkNs: [0, 15] })));
    if (searchLinearization(operations) !== 'not-linearizable') continue;
    compared++;
    const expected = longestPrefix(operations, Infinity);
    const times = operations.flatMap((operation) => [operation.invokeNs, operation.completeNs]).filter(Number.isFinite);
    for (const guess of [times[Math.floor(random() * times.length)]!, Math.max(...times), Math.min(...times) - 1]) {
      const guessed = longestPrefix(operations, Infinity, guess);
      if (JSON.stringify(guessed) !== JSON.stringify(expected)) differences.push(`seed ${seed}, guess ${guess}: ${JSON.stringify(guessed)} instead of ${JSON.stringify(expected)}`);
    }
  }
  t.ok(compared >= 100, `${compared} anomalous histories compared`);
  t.same(differences.slice(0, 5), [], `${differences.length} differences`);
});
