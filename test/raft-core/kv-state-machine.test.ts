import t from 'tap';
import { KvStateMachine } from '../../raft/core/kv-state-machine.js';

t.test('put, delete and cas', async (t) => {
  const machine = new KvStateMachine();
  t.same(machine.apply({ kind: 'put', key: 'a', value: '1' }), { ok: true });
  t.equal(machine.get('a'), '1');
  t.same(machine.apply({ kind: 'cas', key: 'a', from: '2', to: '3' }), { ok: false, error: 'cas_mismatch', value: '1' });
  t.same(machine.apply({ kind: 'cas', key: 'a', from: '1', to: '3' }), { ok: true });
  t.same(machine.apply({ kind: 'cas', key: 'b', from: null, to: 'x' }), { ok: true }, 'from null: only if absent');
  t.same(machine.apply({ kind: 'cas', key: 'b', from: null, to: 'y' }), { ok: false, error: 'cas_mismatch', value: 'x' });
  t.same(machine.apply({ kind: 'delete', key: 'b' }), { ok: true });
  t.same(machine.apply({ kind: 'delete', key: 'b' }), { ok: true }, 'deleting an absent key succeeds');
  t.equal(machine.get('b'), null);
  t.same(machine.apply({ kind: 'noop' }), { ok: true });
});

t.test('de-duplication by (client, seq)', async (t) => {
  const machine = new KvStateMachine();
  const first = machine.apply({ kind: 'cas', key: 'k', from: null, to: 'a', client: 'c', seq: 1 });
  const retry = machine.apply({ kind: 'cas', key: 'k', from: null, to: 'a', client: 'c', seq: 1 });
  t.same(first, { ok: true });
  t.same(retry, { ok: true }, 'the recorded result, not a mismatch');
  machine.apply({ kind: 'put', key: 'k', value: 'b', client: 'c', seq: 2 });
  machine.apply({ kind: 'put', key: 'k', value: 'late', client: 'c', seq: 1 });
  t.equal(machine.get('k'), 'b', 'an older seq is never applied');
  machine.apply({ kind: 'put', key: 'k', value: 'other', client: 'd', seq: 1 });
  t.equal(machine.get('k'), 'other', 'sessions are per client');
});

t.test('a snapshot round-trips and is independent of later changes', async (t) => {
  const machine = new KvStateMachine();
  machine.apply({ kind: 'put', key: 'k', value: 'v', client: 'c', seq: 4 });
  const data = machine.snapshotData();
  machine.apply({ kind: 'put', key: 'k', value: 'changed' });
  t.same(data, { kv: { k: 'v' }, sessions: { c: { seq: 4, response: { ok: true } } } });
  const restored = KvStateMachine.fromSnapshot(data);
  t.equal(restored.get('k'), 'v');
  restored.apply({ kind: 'put', key: 'k', value: 'again', client: 'c', seq: 4 });
  t.equal(restored.get('k'), 'v', 'sessions travel with the snapshot');
  t.same(data.kv, { k: 'v' }, 'restoring copies: the snapshot is not changed by the restored machine');
});
