import t from 'tap';
import { checkLinearizable } from '../../harness/checkers/linearizable-checker.js';
import { pairOperations } from '../../harness/history/pair-operations.js';
import type { HistoryEvent } from '../../harness/history/history-event.js';
import { history } from './history-builder.js';

async function check(events: HistoryEvent[]) {
  return checkLinearizable(pairOperations(events), { budgetMs: 10_000 });
}

function evidenceIndexes(verdict: Awaited<ReturnType<typeof check>>): number[] {
  return (verdict.evidence!['operations'] as { index: number }[]).map((operation) => operation.index);
}

t.test('sequential writes and reads are linearizable', async (t) => {
  const verdict = await check(history().write(0, 'k', 'a', 0, 1).read(1, 'k', 'a', 2, 3).write(0, 'k', 'b', 4, 5).read(1, 'k', 'b', 6, 7).read(1, 'k', null, 8, 9).build().slice(0, 8));
  t.equal(verdict.valid, true, verdict.summary);
});

t.test('a read of the initial absent value before any write is fine', async (t) => {
  t.equal((await check(history().read(0, 'k', null, 0, 1).write(1, 'k', 'a', 2, 3).build())).valid, true);
});

t.test('stale read: reading a value overwritten by an acknowledged write', async (t) => {
  const events = history()
    .write(0, 'k3', 'v7', 0, 100)
    .write(1, 'k3', 'v9', 200, 1100)
    .read(2, 'k3', 'v7', 1234, 1300)
    .read(3, 'k3', 'v9', 1400, 1500)
    .build();
  const verdict = await check(events);
  t.equal(verdict.valid, false);
  t.equal(verdict.summary, 'stale read of k3: read v7 at 1.234 s after write v9 was acknowledged at 1.100 s');
  t.same(evidenceIndexes(verdict), [0, 1, 2], 'exactly the two writes and the stale read');
  t.equal(verdict.evidence!['key'], 'k3');
  const prefix = verdict.evidence!['linearizablePrefix'] as { operations: number; failsAtNs: number };
  t.equal(prefix.operations, 3, 'the prefix holds everything up to the stale read');
  t.equal(prefix.failsAtNs, 1300e6, 'it fails when the stale read completes');
});

t.test('a read concurrent with an overwrite may return either value', async (t) => {
  const events = history().write(0, 'k', 'a', 0, 1).write(1, 'k', 'b', 2, 10).read(2, 'k', 'a', 3, 4).read(3, 'k', 'b', 5, 6).build();
  t.equal((await check(events)).valid, true);
  const flipped = history().write(0, 'k', 'a', 0, 1).write(1, 'k', 'b', 2, 10).read(2, 'k', 'b', 3, 4).read(3, 'k', 'a', 5, 6).build();
  const verdict = await check(flipped);
  t.equal(verdict.valid, false, 'once b was read, a later read of a is stale');
  t.match(verdict.summary, /stale read of k: read a/);
});

t.test('lost write: an acknowledged write never seen, later reads return the older value', async (t) => {
  const verdict = await check(history().write(0, 'k', 'a', 0, 1).write(1, 'k', 'b', 2, 3).read(2, 'k', 'a', 10, 11).read(2, 'k', 'a', 12, 13).build().slice(0, 8));
  t.equal(verdict.valid, false);
  t.match(verdict.summary, /stale read of k: read a at 0\.010 s after write b was acknowledged at 0\.003 s/);
});

t.test('phantom: a value no one wrote', async (t) => {
  const verdict = await check(history().write(0, 'k', 'a', 0, 1).read(1, 'k', 'zzz', 2, 3).build());
  t.equal(verdict.valid, false);
  t.match(verdict.summary, /phantom read of k: read zzz/);
  t.same(evidenceIndexes(verdict), [1]);
});

t.test('a read that completes before its value was written reads from the future', async (t) => {
  const verdict = await check(history().read(0, 'k', 'a', 0, 1).write(1, 'k', 'a', 5, 6).build());
  t.equal(verdict.valid, false);
  t.match(verdict.summary, /phantom read of k: read a at 0.000 s, a value no operation had begun to write by then/, 'the evidence is the shortest failing prefix, where the write had not begun');
});

t.test('cas: a chain of successful cas is linearizable, two cas from one value are not', async (t) => {
  const chain = history().write(0, 'k', 'a', 0, 1).cas(1, 'k', 'a', 'b', 2, 3).cas(2, 'k', 'b', 'c', 4, 5).read(0, 'k', 'c', 6, 7).build();
  t.equal((await check(chain)).valid, true);
  const doubled = history().write(0, 'k', 'a', 0, 1).cas(1, 'k', 'a', 'b', 2, 3).cas(2, 'k', 'a', 'c', 4, 5).build();
  const verdict = await check(doubled);
  t.equal(verdict.valid, false);
  t.match(verdict.summary, /two cas on k both replaced a/);
});

t.test('cas from absent succeeds only first; a failed cas changes nothing', async (t) => {
  const events = history().cas(0, 'k', null, 'a', 0, 1).cas(1, 'k', null, 'b', 2, 3, 'fail').read(2, 'k', 'a', 4, 5).build();
  t.equal((await check(events)).valid, true);
  const stale = history().write(0, 'k', 'x', 0, 1).cas(1, 'k', null, 'a', 2, 3).build();
  t.equal((await check(stale)).valid, false, 'cas from absent after x was written cannot succeed');
});

t.test('cas succeeded from a value that was already replaced', async (t) => {
  const events = history().write(0, 'k', 'a', 0, 1).write(1, 'k', 'b', 2, 3).cas(2, 'k', 'a', 'c', 4, 5).build();
  const verdict = await check(events);
  t.equal(verdict.valid, false);
  t.equal(evidenceIndexes(verdict).length, 3);
});

t.test('info write: took effect when its value is read, even much later', async (t) => {
  const events = history().write(0, 'k', 'a', 0, 1).write(1, 'k', 'b', 2, 3, 'info').read(2, 'k', 'a', 4, 5).read(2, 'k', 'b', 100, 101).build();
  t.equal((await check(events)).valid, true, 'an info write may take effect at any later time');
});

t.test('info write: may never take effect', async (t) => {
  const events = history().write(0, 'k', 'a', 0, 1).write(1, 'k', 'b', 2, 3, 'info').read(2, 'k', 'a', 4, 5).read(2, 'k', 'a', 100, 101).build();
  t.equal((await check(events)).valid, true);
});

t.test('info write cannot take effect before it was invoked', async (t) => {
  const events = history().read(0, 'k', 'b', 0, 1).write(1, 'k', 'b', 2, 3, 'info').build();
  t.equal((await check(events)).valid, false);
});

t.test('info write read, then overwritten by an acknowledged write, cannot reappear', async (t) => {
  const events = history().write(0, 'k', 'b', 0, 1, 'info').read(1, 'k', 'b', 2, 3).write(2, 'k', 'c', 4, 5).read(1, 'k', 'b', 6, 7).build();
  t.equal((await check(events)).valid, false);
});

t.test('a write still in flight at the end of the history is indefinite', async (t) => {
  const events = history().write(0, 'k', 'a', 0, 1).write(1, 'k', 'b', 2, null).read(2, 'k', 'b', 5, 6).build();
  t.equal((await check(events)).valid, true);
});

t.test('info cas took effect only if its from matched', async (t) => {
  const events = history().write(0, 'k', 'a', 0, 1).cas(1, 'k', 'a', 'b', 2, 3, 'info').read(2, 'k', 'b', 4, 5).build();
  t.equal((await check(events)).valid, true);
  const impossible = history().write(0, 'k', 'a', 0, 1).cas(1, 'k', 'x', 'b', 2, 3, 'info').read(2, 'k', 'b', 4, 5).build();
  t.equal((await check(impossible)).valid, false, 'its from value x was never there');
});

t.test('delete: reads of absent after a delete, and a stale read across a delete', async (t) => {
  const events = history().write(0, 'k', 'a', 0, 1).remove(1, 'k', 2, 3).read(2, 'k', null, 4, 5).write(0, 'k', 'b', 6, 7).read(2, 'k', 'b', 8, 9).build();
  t.equal((await check(events)).valid, true);
  const stale = history().write(0, 'k', 'a', 0, 1).remove(1, 'k', 2, 3).read(2, 'k', 'a', 4, 5).build();
  const verdict = await check(stale);
  t.equal(verdict.valid, false, 'a was deleted before the read began');
  t.match(verdict.summary, /stale read of k: read a at 0\.004 s after delete was acknowledged at 0\.003 s/);
  const resurrected = history().write(0, 'k', 'a', 0, 1).read(1, 'k', null, 2, 3).build();
  t.equal((await check(resurrected)).valid, false, 'absent after an acknowledged write and no delete');
});

t.test('deletes with reads of absent go through the search and are decided', async (t) => {
  const base = () => history().write(0, 'k', 'a', 0, 1).remove(1, 'k', 2, 10).remove(2, 'k', 3, 11).read(3, 'k', null, 4, 5);
  const fine = await check(base().read(3, 'k', null, 6, 7).build());
  t.equal(fine.valid, true);
  t.equal(fine.evidence!['searched'], 1, 'absent is ambiguous with deletes, so the search decided it');
  const back = await check(base().read(3, 'k', 'a', 6, 7).build());
  t.equal(back.valid, false, 'once absent was read, a cannot come back');
  t.equal(back.evidence!['method'], 'search');
  t.equal(evidenceIndexes(back).length, 5, 'the write, both deletes and both reads: no delete can be dropped soundly while absent is read');
});

t.test('keys are checked independently and every anomalous key is listed', async (t) => {
  const events = history().write(0, 'x', 'a', 0, 1).write(1, 'y', 'b', 2, 3).read(0, 'x', 'a', 4, 5).read(1, 'y', 'zz', 6, 7).write(2, 'z', 'q', 0, 1).write(2, 'z', 'r', 2, 3).read(3, 'z', 'q', 4, 5).build();
  const verdict = await check(events);
  t.equal(verdict.valid, false);
  t.same(verdict.evidence!['anomalousKeys'], ['z', 'y'], 'ordered by when each first fails');
});

t.test('with deletes, a stale read of a value is still found by the fast path on the relaxed history', async (t) => {
  const events = history()
    .cas(0, 'k', null, 'a', 0, 1)
    .remove(1, 'k', 2, 3)
    .read(2, 'k', null, 4, 5)
    .write(0, 'k', 'b', 6, 7)
    .write(1, 'k', 'c', 8, 9)
    .read(2, 'k', 'b', 10, 11)
    .build();
  const verdict = await check(events);
  t.equal(verdict.valid, false);
  t.equal(verdict.evidence!['method'], 'zones', 'no search was needed');
  t.match(verdict.summary, /stale read of k: read b at 0\.010 s after write c was acknowledged at 0\.009 s/);
  t.same(evidenceIndexes(verdict), [3, 4, 5]);
});
