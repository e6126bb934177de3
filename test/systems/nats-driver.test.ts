// The NATS JetStream driver against a real 3-node cluster started by the local platform from
// the system's launch recipe: every operation and its classification, and the status probe.
// Skipped where nats-server is not installed.

import { existsSync } from 'node:fs';
import t from 'tap';
import { waitForLeader } from '../../harness/cluster-health/wait-for-leader.js';
import { natsConfiguration, natsServerBinary } from '../../harness/systems/nats/nats-launch.js';
import { NatsKeyValueClient } from '../../harness/systems/nats/nats-key-value-client.js';
import { natsFailure } from '../../harness/systems/nats/nats-outcome.js';
import { natsStatusFromReport } from '../../harness/systems/nats/nats-status.js';
import { natsSystem } from '../../harness/systems/nats/nats-system.js';
import { LeaderEpochs } from '../../harness/systems/nats/leader-epochs.js';
import type { NodeLaunchContext } from '../../harness/systems/system.js';
import { putWhilePaused, startSystemCluster, untilAcknowledged } from './driver-test-kit.js';

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

const skip = existsSync(natsServerBinary) ? false : `no ${natsServerBinary}: apt-get install nats-server`;

t.test('on a real cluster', { skip }, async (t) => {
  const { cluster, addresses, probe } = await startSystemCluster(t, natsSystem);
  const leader = await waitForLeader({ nodes: cluster.nodes, probe: probe.probe, timeoutMs: 60_000, progress: (line) => t.comment(line) });
  t.ok(leader.found, leader.found ? `JetStream leader ${leader.leader}` : leader.reason);

  t.test('get, put, cas and delete on a 3-replica bucket', async (t) => {
    const client = new NatsKeyValueClient({ addresses: addresses(), requestTimeoutMs: 5_000, preferredNode: 'raft-1' });
    t.teardown(() => client.close());
    t.ok(await untilAcknowledged('a first put', () => client.put('k1', 'v1'), (line) => t.comment(line)), 'a put is acknowledged once the bucket exists');
    t.match(await client.get('k1'), { ok: true, value: 'v1', node: 'raft-1' }, 'the client talks to its preferred node');
    t.match(await client.get('absent'), { ok: true, value: null }, 'an absent key reads as null');
    t.match(await client.cas('k1', 'v1', 'v2'), { ok: true }, 'cas from the current value succeeds');
    t.match(await client.cas('k1', 'v1', 'v3'), { ok: false, error: 'cas_mismatch', definite: true, value: 'v2' }, 'cas from a stale value is a definite mismatch with the current value');
    t.match(await client.cas('k1', null, 'v4'), { ok: false, error: 'cas_mismatch', definite: true, value: 'v2' }, 'cas from absent on a present key is a mismatch');
    t.match(await client.delete('k1'), { ok: true });
    t.match(await client.get('k1'), { ok: true, value: null }, 'a deleted key reads as null');
    t.match(await client.cas('k1', null, 'v5'), { ok: true }, 'cas from absent succeeds on a deleted key');
    t.match(await client.cas('fresh', null, 'v6'), { ok: true }, 'cas from absent succeeds on a never-written key');
    t.match(await client.get('k1'), { ok: true, value: 'v5' });
    t.match(await client.put('a key/with spaces', 'v7'), { ok: true }, 'keys NATS cannot carry are encoded');
    t.match(await client.get('a key/with spaces'), { ok: true, value: 'v7' });
  });

  t.test('status names the bucket stream leader on every node', async (t) => {
    const streamLeader = await waitForLeader({ nodes: cluster.nodes, probe: probe.probe, timeoutMs: 30_000, progress: (line) => t.comment(line) });
    t.ok(streamLeader.found, streamLeader.found ? '' : streamLeader.reason);
    const answers = await Promise.all(cluster.nodes.map((node) => probe.probe(node)));
    for (const answer of answers) t.ok(answer.answered && answer.status.commitIndex > 0, `${answer.node} reports the stream's last sequence`);
  });

  t.test('a request to paused servers is an indefinite failure', async (t) => {
    const client = natsSystem.createClient(addresses(), { requestTimeoutMs: 1_500 });
    t.teardown(() => client.close());
    t.match(await client.put('k', 'v1'), { ok: true }, 'the cluster acknowledges a put');
    const result = await putWhilePaused(cluster, () => client.put('k', 'v2'));
    t.match(result, { ok: false, definite: false }, 'a put nobody answers may have taken effect');
  });
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

