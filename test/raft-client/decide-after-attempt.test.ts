import t from 'tap';
import { decideAfterAttempt, keepIndefinite } from '../../raft/client/decide-after-attempt.js';
import type { ConnectionReply } from '../../raft/client/node-connection.js';

const response = (fields: Record<string, unknown>): ConnectionReply => ({ kind: 'response', response: { id: 1, ...fields } as never });
const transport = (error: 'connection_lost' | 'no_response', sent: boolean): ConnectionReply => ({ kind: 'transport', error, sent, message: 'm' });

t.test('a success ends the call with the node, value, term and index', async (t) => {
  t.same(decideAfterAttempt('raft-1', response({ ok: true, value: null, term: 2, index: 5 }), false), { kind: 'done', result: { ok: true, node: 'raft-1', value: null, term: 2, index: 5 } });
});

t.test('not_leader moves on with the hint, and is never an indefinite outcome', async (t) => {
  t.match(decideAfterAttempt('raft-1', response({ ok: false, error: 'not_leader', leader: 'raft-2' }), false), { kind: 'next', leaderHint: 'raft-2', indefinite: null });
  t.match(decideAfterAttempt('raft-1', response({ ok: false, error: 'not_leader', leader: null }), true), { kind: 'next', leaderHint: null, indefinite: null });
});

t.test('a request that was never sent moves on, whatever the retry rule', async (t) => {
  t.match(decideAfterAttempt('raft-1', transport('connection_lost', false), false), { kind: 'next', indefinite: null });
});

t.test('indefinite outcomes end the call unless retrying them is allowed', async (t) => {
  for (const reply of [transport('connection_lost', true), transport('no_response', true), response({ ok: false, error: 'timeout' }), response({ ok: false, error: 'unavailable' }), response({ ok: false, error: 'brand_new' })]) {
    const stop = decideAfterAttempt('raft-1', reply, false);
    t.match(stop, { kind: 'done', result: { ok: false, definite: false, node: 'raft-1' } });
    const retry = decideAfterAttempt('raft-1', reply, true);
    t.match(retry, { kind: 'next', indefinite: { ok: false, definite: false } });
  }
});

t.test('cas_mismatch and bad_request end the call as definite failures', async (t) => {
  t.same(decideAfterAttempt('raft-0', response({ ok: false, error: 'cas_mismatch', value: 'now' }), true), { kind: 'done', result: { ok: false, error: 'cas_mismatch', definite: true, node: 'raft-0', value: 'now' } });
  t.match(decideAfterAttempt('raft-0', response({ ok: false, error: 'bad_request', message: 'no key' }), true), { kind: 'done', result: { definite: true, message: 'no key' } });
});

t.test('keepIndefinite turns a later definite failure back into the earlier indefinite one, and leaves successes alone', async (t) => {
  const earlier = { ok: false as const, error: 'no_response', definite: false, node: 'raft-0', message: 'slow' };
  t.match(keepIndefinite({ ok: false, error: 'cas_mismatch', definite: true, node: 'raft-1' }, earlier), { error: 'no_response', definite: false, message: /slow; a retry then answered cas_mismatch from raft-1/ });
  t.same(keepIndefinite({ ok: true, node: 'raft-1' }, earlier), { ok: true, node: 'raft-1' });
  t.same(keepIndefinite({ ok: false, error: 'cas_mismatch', definite: true }, null), { ok: false, error: 'cas_mismatch', definite: true });
});
