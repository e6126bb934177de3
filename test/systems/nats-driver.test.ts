// The NATS JetStream driver against a real 3-node cluster started by the local platform from
// the system's launch recipe: every operation and its classification, and the status probe.
// Skipped where nats-server is not installed.

import { existsSync } from 'node:fs';
import t from 'tap';
import { waitForLeader } from '../../harness/cluster-health/wait-for-leader.js';
import { natsServerBinary } from '../../harness/systems/nats/nats-launch.js';
import { NatsKeyValueClient } from '../../harness/systems/nats/nats-key-value-client.js';
import { natsSystem } from '../../harness/systems/nats/nats-system.js';
import { putWhilePaused, startSystemCluster, untilAcknowledged } from './driver-test-kit.js';

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
