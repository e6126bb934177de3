// The etcd driver against a real 3-member etcd cluster started by the local platform: every
// operation and its classification, and the status probe. Skipped where etcd is not installed.

import { existsSync } from 'node:fs';
import t from 'tap';
import { waitForLeader } from '../../harness/cluster-health/wait-for-leader.js';
import { createLocalPlatform } from '../../harness/platforms/local/create-local-platform.js';
import type { LocalCluster } from '../../harness/platforms/local/local-cluster.js';
import { etcdBinaryPath } from '../../harness/systems/etcd/etcd-launch.js';
import { etcdSystem } from '../../harness/systems/etcd/etcd-system.js';
import { makeDirs, fixtureSpec } from '../platforms/local/local-test-kit.js';

if (!existsSync(etcdBinaryPath)) {
  t.test('the etcd driver', { skip: `${etcdBinaryPath} is missing: apt-get install etcd-server` }, () => {});
} else {
  const dirs = await makeDirs();
  const platform = createLocalPlatform({ stateDir: dirs.stateDir, teardownGraceMs: 5_000 });
  const cluster: LocalCluster = await platform.start(fixtureSpec(dirs.workDir, { system: etcdSystem, serverCommand: undefined }));
  t.teardown(async () => {
    await cluster.teardown();
    await dirs.remove();
  });
  const addresses = () => Object.fromEntries(cluster.nodes.map((node) => [node, cluster.clientAddress(node)]));
  const probe = etcdSystem.createStatusProbe(addresses, 1_000);
  t.teardown(() => probe.close());
  const leader = await waitForLeader({ nodes: cluster.nodes, probe: probe.probe, timeoutMs: 30_000, progress: () => {} });

  t.test('the status probe finds one leader that every member names', async (t) => {
    t.ok(leader.found, leader.found ? '' : leader.reason);
    if (!leader.found) return;
    t.ok(cluster.nodes.includes(leader.leader));
    t.ok(leader.term >= 2, 'etcd elects in term 2 or later');
    const answers = await Promise.all(cluster.nodes.map((node) => probe.probe(node)));
    for (const answer of answers) {
      t.ok(answer.answered && answer.status.commitIndex > 0 && answer.status.lastApplied > 0, `${answer.node} reports its indexes`);
    }
  });

  t.test('put, get, cas success and mismatch, delete and an absent key', async (t) => {
    const client = etcdSystem.createClient(addresses(), { requestTimeoutMs: 5_000 });
    t.teardown(() => client.close());
    t.match(await client.get('absent'), { ok: true, value: null });
    t.match(await client.cas('k', null, 'a'), { ok: true }, 'cas from absent creates the key');
    t.match(await client.cas('k', null, 'b'), { ok: false, error: 'cas_mismatch', definite: true, value: 'a' });
    t.match(await client.cas('k', 'a', 'b'), { ok: true });
    t.match(await client.cas('k', 'a', 'c'), { ok: false, error: 'cas_mismatch', definite: true, value: 'b' });
    t.match(await client.put('k', 'd'), { ok: true });
    const read = await client.get('k');
    t.match(read, { ok: true, value: 'd' });
    t.ok(read.ok && cluster.nodes.includes(read.node), 'the answer names the member by node name');
    t.match(await client.delete('k'), { ok: true });
    t.match(await client.get('k'), { ok: true, value: null });
    t.match(await client.cas('k', 'd', 'e'), { ok: false, error: 'cas_mismatch', definite: true, value: null }, 'a mismatch on an absent key reports null');
  });

  t.test('a member that accepts but never answers (SIGSTOP) gives indefinite failures', async (t) => {
    const paused = cluster.nodes[0]!;
    const client = etcdSystem.createClient({ [paused]: cluster.clientAddress(paused) }, { requestTimeoutMs: 500 });
    t.teardown(() => client.close());
    t.match(await client.put('before', 'x'), { ok: true }, 'the member answers before the pause');
    await cluster.pause(paused);
    try {
      t.match(await client.put('during', 'y'), { ok: false, definite: false, error: 'no_response' });
      t.match(await client.cas('during', null, 'y'), { ok: false, definite: false, error: 'no_response' });
      t.match(await client.get('during'), { ok: false, definite: false });
    } finally {
      await cluster.resume(paused);
    }
  });
}
