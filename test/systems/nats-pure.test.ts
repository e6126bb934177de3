// The NATS driver's pure parts: the configuration file, the classification of outcomes, the
// status read from a JSZ report, and the probe's own numbering of stream leaderships.

import t from 'tap';
import { LeaderEpochs } from '../../harness/systems/nats/leader-epochs.js';
import { natsConfiguration } from '../../harness/systems/nats/nats-launch.js';
import { natsFailure } from '../../harness/systems/nats/nats-outcome.js';
import { bucketReplicas, natsStatusFromReport } from '../../harness/systems/nats/nats-status.js';
import type { NodeLaunchContext } from '../../harness/systems/system.js';

t.test('the configuration routes to every peer but itself and keeps JetStream in the data dir', async (t) => {
  const nodes = ['a', 'b', 'c'].map((node, index) => ({ node, index, host: `127.9.9.${index + 1}`, listenHost: `127.9.9.${index + 1}`, clientPort: 100 + index, peerPort: 200 + index }));
  const context: NodeLaunchContext = { self: nodes[1]!, nodes, dataDir: '/d/b', peerAddress: (node) => `dial-${node}:1`, serverEnv: {} };
  const text = natsConfiguration(context);
  t.match(text, 'server_name: "b"');
  t.match(text, 'listen: "127.9.9.2:101"');
  t.match(text, 'listen: "127.9.9.2:201"');
  t.match(text, 'routes: ["nats://dial-a:1", "nats://dial-c:1"]');
  t.match(text, 'store_dir: "/d/b/jetstream"');
  t.match(text, 'system_account: SYS');
});

t.test('a timeout and a lost connection are indefinite; a wrong last sequence is a definite mismatch', async (t) => {
  t.same(natsFailure(Object.assign(new Error('TIMEOUT'), { code: 'TIMEOUT' }), 'n0').definite, false);
  t.same(natsFailure(Object.assign(new Error('closed'), { code: 'CONNECTION_CLOSED' }), 'n0').definite, false);
  const mismatch = natsFailure(Object.assign(new Error('wrong last sequence: 4'), { code: '400', api_error: { err_code: 10071 } }), 'n0');
  t.same([mismatch.error, mismatch.definite], ['cas_mismatch', true]);
  t.same(natsFailure(new Error('anything else'), undefined).definite, false);
});

t.test('status: the bucket stream leader, or the metadata leader before the bucket exists', async (t) => {
  const stream = { name: 'KV_raft-chaos', cluster: { leader: 'b' }, state: { last_seq: 7 } };
  const report = { server_id: 'NABC', meta_cluster: { leader: 'c' }, account_details: [{ stream_detail: [stream] }] };
  t.match(natsStatusFromReport('b', report), { status: { role: 'leader', leader: 'b', commitIndex: 7 }, instance: 'NABC' });
  t.match(natsStatusFromReport('a', report).status, { role: 'follower', leader: 'b' });
  t.match(natsStatusFromReport('c', { meta_cluster: { leader: 'c' } }).status, { role: 'leader', leader: 'c', commitIndex: 0 });
  t.match(natsStatusFromReport('c', {}).status, { role: 'candidate', leader: null });
});

t.test('status: a server outside the stream\'s replicas holds no replica; one inside them, or with no replica set known yet, does', async (t) => {
  const stream = { name: 'KV_raft-chaos', cluster: { leader: 'b', replicas: [{ name: 'a' }, { name: 'c' }] }, state: { last_seq: 7 } };
  const hosting = { server_id: 'NB', meta_cluster: { leader: 'd' }, account_details: [{ stream_detail: [stream] }] };
  t.same(bucketReplicas(hosting), ['b', 'a', 'c']);
  t.equal(bucketReplicas({ meta_cluster: { leader: 'd' } }), undefined);
  const bare = { server_id: 'NE', meta_cluster: { leader: 'd' } };
  t.equal(natsStatusFromReport('e', bare, ['b', 'a', 'c']).holdsNoReplica, true, 'e is not among them');
  t.equal(natsStatusFromReport('c', bare, ['b', 'a', 'c']).holdsNoReplica, false, 'c should hold one: it lags, it is not exempt');
  t.equal(natsStatusFromReport('e', bare).holdsNoReplica, false, 'before any report named the replicas');
  t.equal(natsStatusFromReport('a', hosting, ['b', 'a', 'c']).holdsNoReplica, false);
});

t.test('the probe numbers stream leaderships: a new claimant starts a new epoch, followers take their leader\'s', async (t) => {
  const epochs = new LeaderEpochs();
  const status = (node: string, leader: string | null) => ({ node, role: leader === node ? 'leader' as const : leader === null ? 'candidate' as const : 'follower' as const, term: 0, leader, commitIndex: 0, lastApplied: 0, lastLogIndex: 0 });
  t.equal(epochs.observe(status('a', 'b')).term, 0, 'a leader not yet heard from has no epoch');
  t.equal(epochs.observe(status('b', 'b')).term, 1);
  t.equal(epochs.observe(status('a', 'b')).term, 1);
  t.equal(epochs.observe(status('b', 'b')).term, 1, 'the same leader keeps its epoch');
  t.equal(epochs.observe(status('c', 'c')).term, 2, 'another claimant starts the next');
  t.equal(epochs.observe(status('a', 'b')).term, 1, 'a follower of the old leader keeps the old epoch');
  t.equal(epochs.observe(status('a', null)).term, 2);
});
