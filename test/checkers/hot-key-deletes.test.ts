// One hot key with deletes: reads of absent do not name the delete they saw, so the zone fast
// path cannot settle it and the search must, within the budget, in both directions.

import t from 'tap';
import type { HistoryEvent } from '../../harness/history/history-event.js';
import { checkLinearizable } from '../../harness/checkers/linearizable-checker.js';
import { generateHistory } from '../../harness/history/generate-history.js';
import { pairOperations } from '../../harness/history/pair-operations.js';

const withDeletes = { read: 0.45, write: 0.25, cas: 0.15, delete: 0.15 };

function hotKey(seed: number, anomaly: 'none' | 'stale-read', infoRate = 0.005): HistoryEvent[] {
  return generateHistory({ seed, operations: 3000, keys: 1, clients: 10, mix: withDeletes, anomaly, infoRate });
}

t.test('a valid hot key with deletes is settled by the search', async (t) => {
  for (const seed of [1, 2, 3]) {
    const verdict = await checkLinearizable(pairOperations(hotKey(seed, 'none')), { budgetMs: 20_000 });
    t.equal(verdict.valid, true, `seed ${seed}: ${verdict.summary}`);
    t.equal(verdict.evidence!['searched'], 1, 'the search decided it, not the fast path');
  }
});

t.test('a stale read on a hot key with deletes is caught', async (t) => {
  const verdict = await checkLinearizable(pairOperations(hotKey(4, 'stale-read')), { budgetMs: 20_000 });
  t.equal(verdict.valid, false, verdict.summary);
  t.match(verdict.summary, /stale read of k0/);
});

t.test('a read of absent that no delete explains is caught by the search', async (t) => {
  // After the whole valid history: an acknowledged write, then a read of absent. Only the search
  // can tell (without the reads of absent, the history is fine), and no delete is left to explain it.
  const events = hotKey(5, 'none', 0);
  const endNs = Math.max(...events.map((event) => event.time));
  const ending: HistoryEvent[] = [
    { process: 100, type: 'invoke', f: 'write', key: 'k0', value: 'last', time: endNs + 1000 },
    { process: 100, type: 'ok', f: 'write', key: 'k0', value: 'last', time: endNs + 2000 },
    { process: 101, type: 'invoke', f: 'read', key: 'k0', value: null, time: endNs + 3000 },
    { process: 101, type: 'ok', f: 'read', key: 'k0', value: null, time: endNs + 4000 },
  ];
  const fine = await checkLinearizable(pairOperations([...events, ...ending.slice(0, 2)]), { budgetMs: 20_000 });
  t.equal(fine.valid, true, 'without the read, the history is linearizable');
  const operations = pairOperations([...events, ...ending]);
  // Narrowing the evidence down takes long here (no delete can be dropped while absent is read;
  // about 20 s on this machine): past the budget, the anomaly stands with every operation of the
  // key as its evidence. Finding the anomaly takes under 3 s on an idle machine; on a busy one the
  // budget grows until the search finds it, and stays well below the narrowing's time.
  let verdict = await checkLinearizable(operations, { budgetMs: 3_000 });
  for (const budgetMs of [6_000, 9_000]) {
    if (verdict.valid !== 'unknown') break;
    t.comment(`the search did not finish within the budget on this machine now (${verdict.summary}); again with ${budgetMs} ms`);
    verdict = await checkLinearizable(operations, { budgetMs });
  }
  t.equal(verdict.valid, false, verdict.summary);
  t.equal(verdict.evidence!['method'], 'search');
  t.match(verdict.summary, /k0: not linearizable, but the \d+ operations that show it were not narrowed down within the \d+ ms budget/);
  const evidence = (verdict.evidence!['operations'] as { index: number }[]).map((operation) => operation.index);
  t.ok(evidence.includes(operations.length - 1) && evidence.includes(operations.length - 2), `the write of last and the read are in the evidence (${evidence.length} operations)`);
});
