// The ZooKeeper driver against a real 3-node ensemble started by the local platform from the
// system's launch recipe: every operation (with and without sync before reads), its
// classification, and the status probe. Skipped where ZooKeeper is not installed.

import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import t from 'tap';
import { waitForHealthy } from '../../harness/cluster-health/wait-for-healthy.js';
import { waitForLeader } from '../../harness/cluster-health/wait-for-leader.js';
import type { NodeLaunchContext } from '../../harness/systems/system.js';
import { electionPort, javaBinary, zookeeperConfiguration, zookeeperJar, zookeeperLaunch } from '../../harness/systems/zookeeper/zookeeper-launch.js';
import { zookeeperSystem } from '../../harness/systems/zookeeper/zookeeper-system.js';
import { ZookeeperKeyValueClient } from '../../harness/systems/zookeeper/zookeeper-client.js';
import { parseServerReport, zookeeperStatusFromReports } from '../../harness/systems/zookeeper/zookeeper-status.js';
import { putWhilePaused, startSystemCluster, untilAcknowledged } from './driver-test-kit.js';

const missing = [javaBinary, zookeeperJar].filter((path) => !existsSync(path));
const skip = missing.length === 0 ? false : `no ${missing.join(', ')} (apt-get install -y zookeeper)`;

t.test('zoo.cfg names every server with its peer and election ports, myid is the position plus one', async (t) => {
  const nodes = ['a', 'b', 'c'].map((node, index) => ({ node, index, host: `127.9.9.${index + 1}`, listenHost: `127.9.9.${index + 1}`, clientPort: 100 + index, peerPort: 200 + index }));
  const context: NodeLaunchContext = { self: nodes[1]!, nodes, dataDir: '/d/b', peerAddress: (node) => `127.9.9.${node === 'a' ? 1 : 3}:${node === 'a' ? 200 : 202}`, serverEnv: {} };
  const launch = zookeeperLaunch(context);
  t.match(zookeeperConfiguration(context), 'server.1=127.9.9.1:200:201\nserver.2=127.9.9.2:201:202\nserver.3=127.9.9.3:202:203');
  t.match(zookeeperConfiguration(context), 'clientPort=101\nclientPortAddress=127.9.9.2\n');
  t.same(launch.files?.myid, '2\n');
  t.equal(electionPort({ clientPort: 301, peerPort: 300 }), 302, 'the election port steps over the client port');
  t.equal(electionPort({ clientPort: 1, peerPort: 65_535 }), 65_534, 'and stays below 65536');
});

t.test('a follower in broadcast takes the epoch and the leader of the node leading', async (t) => {
  const leader = parseServerReport('Zxid: 0x300000000\nMode: leader\n', 'zk_peer_state\tleading - broadcast\nzk_uptime\t5000\n');
  const follower = parseServerReport('Zxid: 0x200000007\nMode: follower\n', 'zk_peer_state\tfollowing - broadcast\nzk_uptime\t7000\n');
  const status = zookeeperStatusFromReports('f', follower, { f: follower, l: leader }, 100_000);
  t.match(status.status, { role: 'follower', leader: 'l', term: 3, commitIndex: 3 * 2 ** 32 });
  t.equal(status.instance, 'started-93');
  const electing = parseServerReport('This ZooKeeper instance is not currently serving requests\n', '');
  t.match(zookeeperStatusFromReports('e', electing, { e: electing, l: leader }, 0).status, { role: 'candidate', leader: null });
});

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

/** A session answer: protocol 0, a 10 s session, session id 1, a 16-byte password. */
function connectResponse(): Buffer {
  const frame = Buffer.alloc(4 + 4 + 4 + 8 + 4 + 16);
  frame.writeInt32BE(frame.length - 4, 0);
  frame.writeInt32BE(10_000, 8);
  frame.writeBigInt64BE(1n, 12);
  frame.writeInt32BE(16, 20);
  return frame;
}

/** A reply to the first request (xid 0) with an error code no ZooKeeper client knows. */
function unknownErrorReply(): Buffer {
  const frame = Buffer.alloc(4 + 4 + 8 + 4);
  frame.writeInt32BE(16, 0);
  frame.writeInt32BE(0, 4);
  frame.writeInt32BE(12_345, 16);
  return frame;
}

t.test('a reply the client library cannot parse fails the call; it never throws out of the socket', async (t) => {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.write(connectResponse());
    socket.once('data', () => socket.write(unknownErrorReply()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const client = new ZookeeperKeyValueClient({ addresses: { odd: `127.0.0.1:${port}` }, requestTimeoutMs: 1_000, syncBeforeRead: false });
  try {
    t.match(await client.get('k'), { ok: false, definite: false }, 'the call fails, classified, and the process lives on');
  } finally {
    client.close();
    server.close();
    for (const socket of sockets) socket.destroy();
  }
});
