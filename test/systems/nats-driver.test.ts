// The NATS JetStream driver against a real 3-node cluster started from its launch recipe.

import { existsSync } from 'node:fs';
import t from 'tap';
import { pollUntil } from '../../harness/shared/poll-until.js';
import { natsLaunch, natsPortNames, natsServerBinary, natsConfiguration } from '../../harness/systems/nats/nats-launch.js';
import { NatsKeyValueClient } from '../../harness/systems/nats/nats-key-value-client.js';
import { natsNodeStatus } from '../../harness/systems/nats/nats-status.js';
import type { SystemNodeStatus } from '../../harness/systems/system-node-status.js';
import { natsFailure } from '../../harness/systems/nats/nats-outcome.js';
import { endpointAddress } from '../../harness/systems/node-launch.js';
import { startRecipeCluster, type RecipeCluster } from './recipe-cluster.js';
import { putWhilePaused, untilAcknowledged } from './driver-test-kit.js';

const skip = existsSync(natsServerBinary) ? false : `no ${natsServerBinary} (apt-get install -y nats-server)`;

t.test('the configuration routes to every peer but itself and keeps JetStream in the data dir', async (t) => {
  const endpoint = (port: number) => ({ host: '127.0.0.1', ports: { client: port, cluster: port + 1, monitor: port + 2 } });
  const peers = { a: endpoint(100), b: endpoint(200), c: endpoint(300) };
  const text = natsConfiguration({ node: 'b', nodes: ['a', 'b', 'c'], dataDir: '/d/b', self: peers.b, peers });
  t.match(text, 'server_name: "b"');
  t.match(text, 'listen: "127.0.0.1:200"');
  t.match(text, 'routes: ["nats://127.0.0.1:101", "nats://127.0.0.1:301"]');
  t.match(text, 'store_dir: "/d/b/jetstream"');
});

t.test('a timeout and a lost connection are indefinite; a wrong last sequence is a definite mismatch', async (t) => {
  t.same(natsFailure(Object.assign(new Error('TIMEOUT'), { code: 'TIMEOUT' }), 'n0').definite, false);
  t.same(natsFailure(Object.assign(new Error('closed'), { code: 'CONNECTION_CLOSED' }), 'n0').definite, false);
  const mismatch = natsFailure(Object.assign(new Error('wrong last sequence: 4'), { code: '400', api_error: { err_code: 10071 } }), 'n0');
  t.same([mismatch.error, mismatch.definite], ['cas_mismatch', true]);
  t.same(natsFailure(new Error('anything else'), undefined).definite, false);
});

async function statuses(cluster: RecipeCluster): Promise<SystemNodeStatus[]> {
  return Promise.all(cluster.nodes.map((node) => natsNodeStatus(node, endpointAddress(cluster.endpoints[node]!, 'monitor'), 2000)));
}

async function waitForStreamLeader(cluster: RecipeCluster): Promise<SystemNodeStatus[]> {
  const outcome = await pollUntil({
    what: 'a bucket stream leader all nodes agree on',
    timeoutMs: 60_000,
    intervalMs: 200,
    progressEveryMs: 10_000,
    progress: (line) => t.comment(line),
    attempt: async () => {
      const all = await statuses(cluster).catch(() => []);
      const leaders = new Set(all.map((answer) => answer.status.leader));
      const done = all.length === 3 && leaders.size === 1 && all.some((answer) => answer.status.role === 'leader') && all[0]!.status.commitIndex > 0;
      return { done, finding: all, describe: JSON.stringify(all.map((answer) => answer.status)) };
    },
  });
  if (!outcome.done) throw new Error(`no agreed stream leader: ${outcome.lastDescription}`);
  return outcome.finding;
}

t.test('get, put, cas and delete on a 3-replica bucket; status names the stream leader', { skip }, async (t) => {
  const cluster = await startRecipeCluster({ launch: natsLaunch, portNames: natsPortNames });
  t.teardown(cluster.teardown);
  const client = new NatsKeyValueClient({ addresses: cluster.clientAddresses, requestTimeoutMs: 5000, preferredNode: 'n1' });
  t.teardown(() => client.close());
  t.ok(await untilAcknowledged('a first put', () => client.put('k1', 'v1'), (line) => t.comment(line)), 'a put is acknowledged once the cluster has formed');
  t.match(await client.get('k1'), { ok: true, value: 'v1', node: 'n1' }, 'the client talks to its preferred node');
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

  const answers = await waitForStreamLeader(cluster);
  const leader = answers.find((answer) => answer.status.role === 'leader')!.status.node;
  t.ok(cluster.nodes.includes(leader), `one node leads the bucket's stream (${leader})`);
  t.same(new Set(answers.map((answer) => answer.status.leader)), new Set([leader]), 'every node names that leader');
  t.equal(new Set(answers.map((answer) => answer.instance)).size, 3, 'each server has its own id');
});

t.test('a request to paused servers is an indefinite failure', { skip }, async (t) => {
  const cluster = await startRecipeCluster({ launch: natsLaunch, portNames: natsPortNames });
  t.teardown(cluster.teardown);
  const client = new NatsKeyValueClient({ addresses: cluster.clientAddresses, requestTimeoutMs: 1500 });
  t.teardown(() => client.close());
  t.ok(await untilAcknowledged('a first put', () => client.put('k', 'v1'), (line) => t.comment(line)), 'the cluster acknowledges a put');
  const result = await putWhilePaused(cluster, () => client.put('k', 'v2'), (cleanup) => t.teardown(cleanup));
  t.match(result, { ok: false, definite: false }, 'a put nobody answers may have taken effect');
  t.comment(JSON.stringify(result));
});
