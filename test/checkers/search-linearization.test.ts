// The linearization search prunes hard (reads taken without branching, values nobody can observe
// merged, values still awaited never left for good): checked against a plain enumeration of every
// order on small random histories, valid and not, with deletes, cas, repeated values and
// indefinite operations.

import t from 'tap';
import { toRegisterOperations, type RegisterOperation } from '../../harness/checkers/register-operation.js';
import { searchLinearization } from '../../harness/checkers/search-linearization.js';
import { generateHistory } from '../../harness/history/generate-history.js';
import { mulberry32 } from '../../raft/core/mulberry32.js';
import { pairOperations } from '../../harness/history/pair-operations.js';

/** Every order that respects real time, one operation at a time; indefinite ones may be left out. No memo, no pruning. */
function enumerate(operations: readonly RegisterOperation[]): boolean {
  const done = new Array<boolean>(operations.length).fill(false);
  const extend = (state: string | null, acknowledgedLeft: number): boolean => {
    if (acknowledgedLeft === 0) return true;
    for (let index = 0; index < operations.length; index++) {
      if (done[index]) continue;
      const operation = operations[index]!;
      if (operations.some((other, otherIndex) => !done[otherIndex] && other.completeNs < operation.invokeNs)) continue;
      let next: string | null;
      if (operation.kind === 'read') {
        if (operation.value !== state) continue;
        next = state;
      } else if (operation.kind === 'cas') {
        if (operation.from !== state) continue;
        next = operation.value;
      } else next = operation.kind === 'delete' ? null : operation.value;
      done[index] = true;
      const found = extend(next, acknowledgedLeft - (operation.ok ? 1 : 0));
      done[index] = false;
      if (found) return true;
    }
    return false;
  };
  return extend(null, operations.filter((operation) => operation.ok).length);
}

/** Random intervals over a few values, so values repeat and reads often see something impossible. */
function randomIntervals(seed: number): RegisterOperation[] {
  const random = mulberry32(seed);
  const count = 2 + Math.floor(random() * 7);
  const pick = <T>(choices: readonly T[]) => choices[Math.floor(random() * choices.length)]!;
  const values = ['a', 'b', 'c'];
  return Array.from({ length: count }, (_, id) => {
    const kind = pick(['read', 'read', 'write', 'cas', 'delete'] as const);
    const invokeNs = Math.floor(random() * 20);
    const ok = kind === 'read' || random() < 0.85;
    return {
      id,
      kind,
      ok,
      invokeNs,
      completeNs: ok ? invokeNs + 1 + Math.floor(random() * 8) : Infinity,
      value: kind === 'delete' ? null : kind === 'read' ? pick([null, ...values]) : pick(values),
      from: kind === 'cas' ? pick([null, ...values]) : null,
    };
  });
}

/** A small generated history (unique values), sometimes with one read or cas changed. */
function generated(seed: number): RegisterOperation[] {
  const random = mulberry32(seed * 7919);
  const operations = toRegisterOperations(
    pairOperations(
      generateHistory({
        seed,
        operations: 3 + Math.floor(random() * 6),
        keys: 1,
        clients: 2 + Math.floor(random() * 3),
        infoRate: random() < 0.5 ? 0.2 : 0,
        mix: { read: 0.45, write: 0.25, cas: 0.15, delete: 0.15 },
        latencyNs: [1, 40],
        thinkNs: [0, 15],
      }),
    ),
  );
  const reads = operations.filter((operation) => operation.kind === 'read');
  if (random() < 0.5 && reads.length > 0) {
    const written = [null, ...operations.filter((operation) => operation.kind !== 'read').map((operation) => operation.value)];
    reads[Math.floor(random() * reads.length)]!.value = written[Math.floor(random() * written.length)]!;
  }
  return operations;
}

t.test('the search agrees with plain enumeration on small random histories', async (t) => {
  const disagreements: string[] = [];
  const tally = { linearizable: 0, not: 0 };
  for (let seed = 1; seed <= 4000; seed++) {
    const operations = seed % 2 === 0 ? randomIntervals(seed) : generated(seed);
    const expected = enumerate(operations);
    const searched = searchLinearization(operations);
    if (searched !== (expected ? 'linearizable' : 'not-linearizable')) disagreements.push(`seed ${seed}: search ${searched}, enumeration ${expected}`);
    if (expected) tally.linearizable++;
    else tally.not++;
  }
  t.same(disagreements.slice(0, 10), [], `${disagreements.length} disagreements`);
  t.ok(tally.linearizable > 800, `${tally.linearizable} linearizable histories compared`);
  t.ok(tally.not > 800, `${tally.not} non-linearizable histories compared`);
});

t.test('a value still awaited by a read is not left for good: the search turns back at once', async (t) => {
  // Many overlapping writes of unread values, then a read of the first value, which must come
  // before all of them: without the check the search would try the writes in every order first.
  const operations: RegisterOperation[] = [{ id: 0, kind: 'write', ok: true, invokeNs: 0, completeNs: 1, value: 'first', from: null }];
  for (let id = 1; id <= 40; id++) operations.push({ id, kind: 'write', ok: true, invokeNs: 2, completeNs: 100, value: `w${id}`, from: null });
  operations.push({ id: 41, kind: 'read', ok: true, invokeNs: 2, completeNs: 100, value: 'first', from: null });
  t.equal(searchLinearization(operations, 10_000), 'linearizable');
  operations.push({ id: 42, kind: 'read', ok: true, invokeNs: 101, completeNs: 102, value: 'first', from: null });
  t.equal(searchLinearization(operations, 10_000), 'not-linearizable', 'decided within 10 000 steps');
});
