// The ZooKeeper driver against a real 3-node ensemble started from its launch recipe.

import { existsSync } from 'node:fs';
import t from 'tap';
import { pollUntil } from '../../harness/shared/poll-until.js';
import { javaBinary, zookeeperConfiguration, zookeeperJar, zookeeperLaunch, zookeeperPortNames } from '../../harness/systems/zookeeper/zookeeper-launch.js';
import { ZookeeperKeyValueClient } from '../../harness/systems/zookeeper/zookeeper-client.js';
import { parseServerReport, zookeeperNodeStatus, zookeeperStatusFromReports } from '../../harness/systems/zookeeper/zookeeper-status.js';
import type { SystemNodeStatus } from '../../harness/systems/system-node-status.js';
import { startRecipeCluster, type RecipeCluster } from './recipe-cluster.js';
import { putWhilePaused, untilAcknowledged } from './driver-test-kit.js';

const missing = [javaBinary, zookeeperJar].filter((path) => !existsSync(path));
const skip = missing.length === 0 ? false : `no ${missing.join(', ')} (apt-get install -y zookeeper)`;

t.test('zoo.cfg names every server with its peer and election ports, myid is the position plus one', async (t) => {
  const endpoint = (port: number) => ({ host: '127.0.0.1', ports: { client: port, peer: port + 1, election: port + 2 } });
  const peers = { a: endpoint(100), b: endpoint(200), c: endpoint(300) };
  const launch = zookeeperLaunch({ node: 'b', nodes: ['a', 'b', 'c'], dataDir: '/d/b', self: peers.b, peers });
  const text = zookeeperConfiguration({ node: 'b', nodes: ['a', 'b', 'c'], dataDir: '/d/b', self: peers.b, peers });
  t.match(text, 'server.1=127.0.0.1:101:102\nserver.2=127.0.0.1:201:202\nserver.3=127.0.0.1:301:302');
  t.match(text, 'clientPort=200\n');
  t.same(launch.files.find((file) => file.path === '/d/b/myid')?.content, '2\n');
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

async function agreedStatuses(cluster: RecipeCluster, comment: (line: string) => void): Promise<SystemNodeStatus[]> {
  const outcome = await pollUntil({
    what: 'a leader every server agrees on',
    timeoutMs: 60_000,
    intervalMs: 250,
    progressEveryMs: 10_000,
    progress: comment,
    attempt: async () => {
      const all = await Promise.all(cluster.nodes.map((node) => zookeeperNodeStatus(node, cluster.clientAddresses, 2000))).catch(() => []);
      const leaders = new Set(all.map((answer) => `${answer.status.leader}@${answer.status.term}`));
      return { done: all.length === 3 && leaders.size === 1 && !leaders.has('null@0'), finding: all, describe: JSON.stringify(all.map((answer) => answer.status)) };
    },
  });
  if (!outcome.done) throw new Error(`no agreed leader: ${outcome.lastDescription}`);
  return outcome.finding;
}

t.test('get, put, cas and delete on a real ensemble; status names the leader and its epoch', { skip }, async (t) => {
  const cluster = await startRecipeCluster({ launch: zookeeperLaunch, portNames: zookeeperPortNames });
  t.teardown(cluster.teardown);
  const answers = await agreedStatuses(cluster, (line) => t.comment(line));
  t.equal(answers.filter((answer) => answer.status.role === 'leader').length, 1, 'one server leads');
  t.ok(answers[0]!.status.term >= 1, `the term is the leader's epoch (${answers[0]!.status.term})`);
  for (const syncBeforeRead of [false, true]) {
    const client = new ZookeeperKeyValueClient({ addresses: cluster.clientAddresses, requestTimeoutMs: 5000, syncBeforeRead });
    t.teardown(() => client.close());
    const key = `k-${syncBeforeRead}`;
    t.ok(await untilAcknowledged('a first put', () => client.put(key, 'v1'), (line) => t.comment(line)), `a put is acknowledged (sync before read: ${syncBeforeRead})`);
    t.match(await client.get(key), { ok: true, value: 'v1' });
    t.ok(cluster.nodes.includes(((await client.get(key)) as { node: string }).node), 'the answer names the server the session is on');
    t.match(await client.get('absent.key'), { ok: true, value: null }, 'an absent key reads as null');
    t.match(await client.cas(key, 'v1', 'v2'), { ok: true }, 'cas from the current value succeeds');
    t.match(await client.cas(key, 'v1', 'v3'), { ok: false, error: 'cas_mismatch', definite: true, value: 'v2' }, 'cas from a stale value is a definite mismatch');
    t.match(await client.cas(key, null, 'v4'), { ok: false, error: 'cas_mismatch', definite: true, value: 'v2' }, 'cas from absent on a present key is a mismatch');
    t.match(await client.delete(key), { ok: true });
    t.match(await client.get(key), { ok: true, value: null }, 'a deleted key reads as null');
    t.match(await client.delete(key), { ok: true }, 'deleting an absent key succeeds');
    t.match(await client.cas(key, null, 'v5'), { ok: true }, 'cas from absent creates the key');
    t.match(await client.get(key), { ok: true, value: 'v5' });
  }
  const after = await agreedStatuses(cluster, (line) => t.comment(line));
  t.same(new Set(after.map((answer) => answer.status.commitIndex)).size, 1, 'every server has applied the same zxid');
});

t.test('a request to paused servers is an indefinite failure', { skip }, async (t) => {
  const cluster = await startRecipeCluster({ launch: zookeeperLaunch, portNames: zookeeperPortNames });
  t.teardown(cluster.teardown);
  const client = new ZookeeperKeyValueClient({ addresses: cluster.clientAddresses, requestTimeoutMs: 1500, syncBeforeRead: false });
  t.teardown(() => client.close());
  t.ok(await untilAcknowledged('a first put', () => client.put('k', 'v1'), (line) => t.comment(line)), 'the ensemble acknowledges a put');
  const result = await putWhilePaused(cluster, () => client.put('k', 'v2'), (cleanup) => t.teardown(cleanup));
  t.match(result, { ok: false, definite: false }, 'a put nobody answers may have taken effect');
  t.comment(JSON.stringify(result));
});
