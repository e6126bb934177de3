import t from 'tap';
import { checkLinearizable } from '../../harness/checkers/linearizable-checker.js';
import { pairOperations } from '../../harness/history/pair-operations.js';
import { history } from './history-builder.js';

/**
 * `writers` overlapping writes of two repeated values (so the fast path does not apply), then a
 * read of a value none of them wrote: the search has to try every order before it can say no.
 */
function hardHistory(writers: number) {
  const builder = history();
  for (let process = 0; process < writers; process++) builder.write(process, 'k', process % 2 === 0 ? 'a' : 'b', process * 0.001, 100 + process * 0.001);
  builder.write(writers, 'k', 'c', 200, 201).read(writers + 1, 'k', 'a', 300, 301);
  return pairOperations(builder.build());
}

t.test('a search past its budget is terminated and the verdict is unknown, never a pass', async (t) => {
  const started = Date.now();
  const verdict = await checkLinearizable(hardHistory(26), { budgetMs: 400 });
  const elapsedMs = Date.now() - started;
  t.equal(verdict.valid, 'unknown', verdict.summary);
  t.match(verdict.summary, /1 of 1 keys not settled within the 400 ms budget/);
  t.same(verdict.evidence!['unknownKeys'], ['k']);
  t.ok(elapsedMs < 30_000, `returned after ${elapsedMs} ms instead of running on`);
});

t.test('a key the fast path cannot settle is decided by the worker when the budget allows', async (t) => {
  const verdict = await checkLinearizable(hardHistory(8), { budgetMs: 60_000 });
  t.equal(verdict.valid, false, verdict.summary);
  t.equal(verdict.evidence!['method'], 'search');
  t.match(verdict.summary, /stale read of k: read a at 0\.300 s after write c was acknowledged at 0\.201 s/);
});

t.test('the same history with no search budget left is unknown', async (t) => {
  const verdict = await checkLinearizable(hardHistory(8), { budgetMs: 1 });
  t.equal(verdict.valid, 'unknown');
});
