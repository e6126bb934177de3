// Peer links of a fixture-node cluster: RAFT_PEERS points at the per-link proxies; a cut link
// passes no bytes while the others do; shaping delays the direction it governs.

import t from 'tap';
import { createLocalPlatform } from '../../../harness/platforms/local/create-local-platform.js';
import type { LocalCluster } from '../../../harness/platforms/local/local-cluster.js';
import { readEnvironmentVariable } from '../../../harness/shared/process-table.js';
import { eventually, fixtureSpec, makeDirs, request } from './local-test-kit.js';

/** A ping expected to fail waits this long for its reply; one expected to pass, much longer. */
const cutPingTimeoutMs = 1_000;
const healthyPingTimeoutMs = 10_000;

async function ping(cluster: LocalCluster, from: string, to: string, timeoutMs = healthyPingTimeoutMs): Promise<Record<string, unknown>> {
  return request(cluster.clientAddress(from), { op: 'ping', to, timeoutMs }, timeoutMs + 10_000);
}

async function linesReceived(cluster: LocalCluster, node: string, from: string): Promise<number> {
  const status = await request(cluster.clientAddress(node), { op: 'status' });
  return (status.received as Record<string, number>)[from] ?? 0;
}

async function startCluster(t: { teardown: (cleanup: () => unknown) => void }): Promise<LocalCluster> {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const cluster = await createLocalPlatform({ stateDir: dirs.stateDir }).start(fixtureSpec(dirs.workDir));
  t.teardown(() => cluster.teardown());
  return cluster;
}

t.test('RAFT_PEERS: own entry is the real peer port, the others are the link proxies', async (t) => {
  const cluster = await startCluster(t);
  const pid = Number((await cluster.identity('raft-1')).instance);
  const peers = await readEnvironmentVariable(pid, 'RAFT_PEERS');
  const expected = [
    `raft-0=127.0.0.1:${cluster.proxyPort('raft-1', 'raft-0')}`,
    `raft-1=127.0.0.1:${cluster.nodePorts('raft-1').peerPort}`,
    `raft-2=127.0.0.1:${cluster.proxyPort('raft-1', 'raft-2')}`,
  ].join(',');
  t.equal(peers, expected);
  t.equal(await readEnvironmentVariable(pid, 'RAFT_LISTEN'), cluster.clientAddress('raft-1'));
  t.match(await readEnvironmentVariable(pid, 'RAFT_DATA_DIR'), /data\/raft-1$/);
});

t.test('a cut link passes no bytes while the reverse and other links still do', async (t) => {
  const cluster = await startCluster(t);
  t.match(await ping(cluster, 'raft-0', 'raft-1'), { ok: true }, 'healthy before the cut');
  const baseline = await linesReceived(cluster, 'raft-1', 'raft-0');
  await cluster.cutLinks([{ from: 'raft-0', to: 'raft-1' }]);
  await eventually('bytes from raft-0 to raft-1 reach the proxy and are discarded', 20_000, async () => {
    await request(cluster.clientAddress('raft-0'), { op: 'send', to: 'raft-1', text: 'lost' });
    return cluster.discardedBytes() > 0 ? true : undefined;
  });
  t.match(await ping(cluster, 'raft-0', 'raft-1', cutPingTimeoutMs), { ok: false, error: 'timeout' }, 'raft-0 cannot reach raft-1');
  t.match(await ping(cluster, 'raft-1', 'raft-0', cutPingTimeoutMs), { ok: false, error: 'timeout' }, "raft-1's ping gets no reply");
  const before = await linesReceived(cluster, 'raft-0', 'raft-1');
  await request(cluster.clientAddress('raft-1'), { op: 'send', to: 'raft-0', text: 'passes' });
  await eventually('raft-1 -> raft-0 still passes', 20_000, async () =>
    (await linesReceived(cluster, 'raft-0', 'raft-1')) > before ? true : undefined,
  );
  t.match(await ping(cluster, 'raft-0', 'raft-2'), { ok: true }, 'raft-0 -> raft-2 unaffected');
  t.equal(await linesReceived(cluster, 'raft-1', 'raft-0'), baseline, 'raft-1 received nothing from raft-0');
  await cluster.healAll();
  await eventually('raft-0 reaches raft-1 after heal', 20_000, async () =>
    (await ping(cluster, 'raft-0', 'raft-1', cutPingTimeoutMs)).ok === true ? true : undefined,
  );
  t.ok((await linesReceived(cluster, 'raft-1', 'raft-0')) > baseline, 'raft-1 hears raft-0 again');
});

t.test('cutting both directions separates two nodes completely', async (t) => {
  const cluster = await startCluster(t);
  await cluster.cutLinks([
    { from: 'raft-0', to: 'raft-1' },
    { from: 'raft-1', to: 'raft-0' },
  ]);
  const before = await linesReceived(cluster, 'raft-0', 'raft-1');
  t.match(await ping(cluster, 'raft-0', 'raft-1', cutPingTimeoutMs), { ok: false, error: 'timeout' });
  t.match(await ping(cluster, 'raft-1', 'raft-0', cutPingTimeoutMs), { ok: false, error: 'timeout' });
  t.equal(await linesReceived(cluster, 'raft-0', 'raft-1'), before, 'raft-0 received nothing from raft-1');
  t.match(await ping(cluster, 'raft-2', 'raft-0'), { ok: true });
  t.match(await ping(cluster, 'raft-2', 'raft-1'), { ok: true });
  await cluster.cutLinks([]);
  await eventually('replacing the cut set with nothing heals', 20_000, async () =>
    (await ping(cluster, 'raft-1', 'raft-0', cutPingTimeoutMs)).ok === true ? true : undefined,
  );
});

t.test('a shaped link delays the bytes it governs, in either connection', async (t) => {
  const cluster = await startCluster(t);
  await ping(cluster, 'raft-0', 'raft-1');
  await ping(cluster, 'raft-1', 'raft-0');
  await cluster.shapeLinks([{ from: 'raft-0', to: 'raft-1' }], { delayMs: 300, jitterMs: 50, dropRate: 0 });
  const request = await ping(cluster, 'raft-0', 'raft-1');
  t.ok(Number(request.roundTripMs) >= 300, `raft-0's request delayed: ${request.roundTripMs} ms >= 300`);
  const reply = await ping(cluster, 'raft-1', 'raft-0');
  t.ok(Number(reply.roundTripMs) >= 300, `the reply to raft-1 delayed: ${reply.roundTripMs} ms >= 300`);
  await cluster.healAll();
  t.match(await ping(cluster, 'raft-0', 'raft-2'), { ok: true });
  await t.rejects(cluster.shapeLinks([{ from: 'raft-0', to: 'raft-9' }], { delayMs: 1, jitterMs: 0, dropRate: 0 }), /unknown node "raft-9"/);
});
