import t from 'tap';
import { errors, isDefinite, transportErrors } from '../../raft/protocol/registry.js';

t.test('definite and indefinite errors are kept apart', async (t) => {
  t.equal(isDefinite('not_leader'), true);
  t.equal(isDefinite('cas_mismatch'), true);
  t.equal(isDefinite('bad_request'), true);
  t.equal(isDefinite('timeout'), false);
  t.equal(isDefinite('unavailable'), false);
  t.equal(isDefinite('connection_lost'), false);
  t.equal(isDefinite('something_new'), false, 'an unknown code is never proof of no effect');
  t.ok(Object.keys(errors).length >= 5);
  t.ok(Object.keys(transportErrors).length >= 2);
});
