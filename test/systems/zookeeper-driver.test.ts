// The ZooKeeper driver against a real 3-node ensemble started by the local platform from the
// system's launch recipe: every operation (with and without sync before reads), its
// classification, and the status probe. Skipped where ZooKeeper is not installed.

import { existsSync } from 'node:fs';
import t from 'tap';
import { waitForHealthy } from '../../harness/cluster-health/wait-for-healthy.js';
import { waitForLeader } from '../../harness/cluster-health/wait-for-leader.js';
import { ZookeeperKeyValueClient } from '../../harness/systems/zookeeper/zookeeper-client.js';
import { javaBinary, zookeeperJar } from '../../harness/systems/zookeeper/zookeeper-launch.js';
import { zookeeperSystem } from '../../harness/systems/zookeeper/zookeeper-system.js';
import { putWhilePaused, startSystemCluster, untilAcknowledged } from './driver-test-kit.js';

const missing = [javaBinary, zookeeperJar].filter((path) => !existsSync(path));
const skip = missing.length === 0 ? false : `no ${missing.join(', ')} (apt-get install -y zookeeper)`;

t.test('on a real ensemble', { skip }, async (t) => {
  const { cluster, addresses, probe } = await startSystemCluster(t, zookeeperSystem);
  const leader = await waitForLeader({ nodes: cluster.nodes, probe: probe.probe, timeoutMs: 60_000, progress: (line) => t.comment(line) });
  t.ok(leader.found, leader.found ? `leader ${leader.leader}` : leader.reason);
  t.ok(leader.found && leader.term >= 1, 'the term is the leader\'s epoch');

  for (const syncBeforeRead of [false, true]) {
    t.test(`get, put, cas and delete (sync before read: ${syncBeforeRead})`, async (t) => {
      const client = new ZookeeperKeyValueClient({ addresses: addresses(), requestTimeoutMs: 5_000, syncBeforeRead });
      t.teardown(() => client.close());
      const key = `k-${syncBeforeRead}`;
      t.ok(await untilAcknowledged('a first put', () => client.put(key, 'v1'), (line) => t.comment(line)), 'a put is acknowledged');
      const read = await client.get(key);
      t.match(read, { ok: true, value: 'v1' });
      t.ok(read.ok && cluster.nodes.includes(read.node), 'the answer names the server the session is on');
      t.match(await client.get('absent.key'), { ok: true, value: null }, 'an absent key reads as null');
      t.match(await client.cas(key, 'v1', 'v2'), { ok: true }, 'cas from the current value succeeds');
      t.match(await client.cas(key, 'v1', 'v3'), { ok: false, error: 'cas_mismatch', definite: true, value: 'v2' }, 'cas from a stale value is a definite mismatch');
      t.match(await client.cas(key, null, 'v4'), { ok: false, error: 'cas_mismatch', definite: true, value: 'v2' }, 'cas from absent on a present key is a mismatch');
      t.match(await client.delete(key), { ok: true });
      t.match(await client.get(key), { ok: true, value: null }, 'a deleted key reads as null');
      t.match(await client.delete(key), { ok: true }, 'deleting an absent key succeeds');
      t.match(await client.cas(key, null, 'v5'), { ok: true }, 'cas from absent creates the key');
      t.match(await client.get(key), { ok: true, value: 'v5' });
    });
  }

  t.test('status: every server has applied the same zxid once writes stop', async (t) => {
    const healthy = await waitForHealthy({ nodes: cluster.nodes, probe: probe.probe, timeoutMs: 30_000, progress: (line) => t.comment(line) });
    t.ok(healthy.healthy, healthy.healthy ? '' : healthy.reason);
  });

  t.test('a request to paused servers is an indefinite failure', async (t) => {
    const client = zookeeperSystem.createClient(addresses(), { requestTimeoutMs: 1_500 });
    t.teardown(() => client.close());
    t.ok(await untilAcknowledged('a put', () => client.put('k', 'v1'), (line) => t.comment(line)), 'the ensemble acknowledges a put');
    const result = await putWhilePaused(cluster, () => client.put('k', 'v2'));
    t.match(result, { ok: false, definite: false }, 'a put nobody answers may have taken effect');
  });
});
