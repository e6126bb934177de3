// The process cluster the benchmarks and the server tests start nodes with: a system's launch
// recipe spawned as the local platform spawns it. Fixture nodes (no Raft) keep it fast; the
// reference server runs on it in test/raft-server and the bench.
import t, { type Test } from 'tap';
import { existsSync } from 'node:fs';
import { ProcessCluster } from '../../../harness/platforms/local/process-cluster.js';
import { isGroupAlive } from '../../../harness/shared/process-group.js';
import { createSpecServerSystem } from '../../../harness/systems/raft/spec-server-system.js';
import type { NodeLaunch } from '../../../harness/systems/system.js';
import { fixtureCommand, request } from './local-test-kit.js';

const fixtureSystem = createSpecServerSystem(fixtureCommand());

async function fixtureCluster(t: Test, adjustLaunch?: (launch: NodeLaunch, node: string) => NodeLaunch): Promise<ProcessCluster> {
  const cluster = await ProcessCluster.create({ system: fixtureSystem, nodeCount: 3, ...(adjustLaunch ? { adjustLaunch } : {}) });
  t.teardown(() => cluster.stop());
  return cluster;
}

t.test('nodes start from the system recipe, each told every peer, and stop leaves no process or directory', async (t) => {
  const cluster = await fixtureCluster(t);
  await cluster.startAll();
  const pids = cluster.nodes.map((node) => cluster.pid(node)!);
  const status = await request(cluster.clientAddresses['raft-1']!, { id: 1, op: 'status' });
  t.match(status, { node: 'raft-1', boots: 1 }, 'raft-1 answers on its client port');
  const ping = await request(cluster.clientAddresses['raft-0']!, { id: 2, op: 'ping', to: 'raft-2', timeoutMs: 2000 });
  t.match(ping, { ok: true }, 'raft-0 reaches raft-2 at the peer address the recipe gave it');
  await cluster.stop();
  for (const pid of pids) t.equal(await isGroupAlive(pid), false, `process group ${pid} is gone`);
  t.equal(existsSync(cluster.workDir), false, 'the work directory is removed');
});

t.test('a node killed and started again keeps its data directory; only unsignalled exits are unexpected', async (t) => {
  const cluster = await fixtureCluster(t);
  await cluster.startAll();
  await cluster.kill('raft-0');
  t.equal(cluster.isRunning('raft-0'), false);
  await cluster.start('raft-0');
  t.match(await request(cluster.clientAddresses['raft-0']!, { id: 1, op: 'status' }), { boots: 2 }, 'second boot on the same data directory');
  t.same(cluster.unexpectedExits(), [], 'a kill is expected');
  const crashed = cluster.exited('raft-2')!;
  await request(cluster.clientAddresses['raft-2']!, { id: 2, op: 'crash' });
  t.match(await crashed, { exitCode: 3 });
  t.match(cluster.unexpectedExits(), [/^raft-2 \(pid \d+\) exited on its own with exit code 3; last log lines:\n.*crashing on purpose/s]);
});

t.test('a node that exits before it listens fails its start with its exit and log', async (t) => {
  const cluster = await fixtureCluster(t, (launch) => ({ ...launch, environment: { ...launch.environment, FIXTURE_FAIL_BOOT: '1' } }));
  await t.rejects(cluster.start('raft-1'), /raft-1 exited with exit code 3 before it listened on 127\.0\.0\.1:\d+; last log lines:/);
  t.equal(cluster.isRunning('raft-1'), false);
});

t.test('members narrows the peers a node is told about; an unknown node is refused by name', async (t) => {
  const launched = new Map<string, NodeLaunch>();
  const cluster = await fixtureCluster(t, (launch, node) => (launched.set(node, launch), launch));
  await cluster.start('raft-0', { members: ['raft-0', 'raft-1'] });
  await cluster.start('raft-1');
  t.same(peerNames(launched.get('raft-0')!), ['raft-0', 'raft-1']);
  t.same(peerNames(launched.get('raft-1')!), ['raft-0', 'raft-1', 'raft-2'], 'by default every node');
  t.match(await request(cluster.clientAddresses['raft-0']!, { id: 1, op: 'ping', to: 'raft-1', timeoutMs: 2000 }), { ok: true });
  t.throws(() => cluster.clientPort('raft-9'), /no node "raft-9"; its nodes are raft-0, raft-1, raft-2/);
});

function peerNames(launch: NodeLaunch): string[] {
  return (launch.environment.RAFT_PEERS ?? '').split(',').map((entry) => entry.split('=')[0]!);
}
