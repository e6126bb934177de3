// Capability membership on the local platform, with reference server processes: spares get link
// proxies and RAFT_PEERS entries but do not run; launchJoining starts one with RAFT_JOIN=true on an
// empty data directory, supervised and faultable like the others; removeNode stops a node for good
// and deletes its data but keeps its log; a removed node comes back on an empty disk.

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { createLocalPlatform } from '../../../harness/platforms/local/create-local-platform.js';
import type { LocalCluster } from '../../../harness/platforms/local/local-cluster.js';
import { readEnvironmentVariable } from '../../../harness/shared/process-table.js';
import { sweepLocalRuns } from '../../../harness/platforms/local/sweep-local-runs.js';
import { eventually, liveMembers, makeDirs, refusesConnections, request, type TestDirs } from './local-test-kit.js';

const serverMain = fileURLToPath(new URL('../../../raft/server/main.js', import.meta.url));
const skip = existsSync(serverMain) ? false : `the reference server is not built (${serverMain} is missing)`;
const timing = { RAFT_ELECTION_TIMEOUT_MS_MIN: '300', RAFT_ELECTION_TIMEOUT_MS_MAX: '600', RAFT_HEARTBEAT_MS: '50' };

interface Member {
  id: string;
  role: string;
}

/** raft-0..2 of the reference server running, with `spares` beside them; all removed after the test. */
async function startWithSpares(t: Test, name: string, spares: string[]): Promise<{ cluster: LocalCluster; dirs: TestDirs }> {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const cluster = await createLocalPlatform({ stateDir: dirs.stateDir }).start({
    runId: `${name}-${process.pid}`,
    nodes: ['raft-0', 'raft-1', 'raft-2'],
    spareNodes: spares,
    serverEnv: timing,
    workDir: dirs.workDir,
    restartDelayMs: 200,
  });
  t.teardown(() => cluster.teardown());
  return { cluster, dirs };
}

async function pidOf(cluster: LocalCluster, node: string): Promise<number> {
  return Number((await cluster.identity(node)).instance);
}

async function leaderOf(cluster: LocalCluster): Promise<string> {
  return eventually('one leader among the running nodes', 45_000, async () => {
    const statuses = await Promise.all(cluster.nodes.map((node) => request(cluster.clientAddress(node), { op: 'status' }, 1_000).catch(() => ({}) as Record<string, unknown>)));
    const leaders = statuses.filter((status) => status.role === 'leader');
    return leaders.length === 1 ? (leaders[0]!.node as string) : undefined;
  });
}

/** The voters every running node reports, once they all report `expected`. */
async function agreedVoters(cluster: LocalCluster, expected: string[]): Promise<string[]> {
  return eventually(`every node to report voters ${expected.join(', ')}`, 45_000, async () => {
    const statuses = await Promise.all(cluster.nodes.map((node) => request(cluster.clientAddress(node), { op: 'status' }, 1_000)));
    const views = statuses.map((status) => ((status.members ?? []) as Member[]).filter((member) => member.role === 'voter').map((member) => member.id).sort().join());
    return views.every((view) => view === [...expected].sort().join()) ? expected : undefined;
  });
}

async function changeMembership(cluster: LocalCluster, request_: Record<string, unknown>): Promise<void> {
  await eventually(`${String(request_.op)} ${String(request_.node)} acknowledged`, 45_000, async () => {
    const leader = await leaderOf(cluster);
    const answer = await request(cluster.clientAddress(leader), request_, 20_000);
    return answer.ok === true ? true : undefined;
  });
}

t.test('spares, launchJoining, faults on a joined node, removeNode and a replacement on an empty disk', { skip }, async (t) => {
  t.ok(createLocalPlatform().capabilities.has('membership'), 'the local platform offers membership');
  const { cluster, dirs } = await startWithSpares(t, 'membership', ['raft-3', 'raft-4']);
  t.same(cluster.nodes, ['raft-0', 'raft-1', 'raft-2'], 'spares do not run');
  t.ok(await refusesConnections(cluster.nodePorts('raft-3').clientPort), 'nothing listens on a spare\'s port');
  t.equal(cluster.proxyPorts().length, 20, 'a proxy for every directed link among five nodes');
  const pid0 = await pidOf(cluster, 'raft-0');
  t.equal(await readEnvironmentVariable(pid0, 'RAFT_MEMBERS'), 'raft-0,raft-1,raft-2', 'RAFT_MEMBERS is the launch nodes');
  const peers = (await readEnvironmentVariable(pid0, 'RAFT_PEERS')) ?? '';
  t.match(peers, `raft-4=127.0.0.1:${cluster.proxyPort('raft-0', 'raft-4')}`, 'RAFT_PEERS gives a spare its proxy');
  t.equal(await readEnvironmentVariable(pid0, 'RAFT_JOIN'), undefined, 'launch nodes do not join');
  await agreedVoters(cluster, ['raft-0', 'raft-1', 'raft-2']);

  await cluster.launchJoining('raft-3');
  t.same(cluster.nodes, ['raft-0', 'raft-1', 'raft-2', 'raft-3'], 'the joined node is in nodes');
  t.equal(await readEnvironmentVariable(await pidOf(cluster, 'raft-3'), 'RAFT_JOIN'), 'true', 'it starts with RAFT_JOIN=true');
  t.match(await request(cluster.clientAddress('raft-3'), { op: 'status' }), { members: [] }, 'it waits in no configuration');
  await changeMembership(cluster, { op: 'add-member', node: 'raft-3', address: cluster.clientAddress('raft-3') });
  await agreedVoters(cluster, ['raft-0', 'raft-1', 'raft-2', 'raft-3']);

  const joinedPid = await pidOf(cluster, 'raft-3');
  await cluster.kill('raft-3');
  t.same(await liveMembers(joinedPid), [], 'kill works on a joined node');
  await eventually('the joined node restarted', 30_000, async () => ((await pidOf(cluster, 'raft-3')) !== joinedPid && !Number.isNaN(await pidOf(cluster, 'raft-3')) ? true : undefined));
  await agreedVoters(cluster, ['raft-0', 'raft-1', 'raft-2', 'raft-3']);
  await cluster.cutLinks([{ from: 'raft-3', to: 'raft-0' }]);
  await cluster.healAll();

  await changeMembership(cluster, { op: 'remove-member', node: 'raft-0' });
  const removedPid = await pidOf(cluster, 'raft-0');
  await cluster.removeNode('raft-0');
  t.same(cluster.nodes, ['raft-1', 'raft-2', 'raft-3'], 'the removed node left nodes');
  t.same(await liveMembers(removedPid), [], 'its process group is gone');
  t.same(await readdir(cluster.dataDir('raft-0')), [], 'its data is deleted');
  await cluster.healAll();
  t.same(cluster.nodes, ['raft-1', 'raft-2', 'raft-3'], 'healAll does not start a removed node');
  t.ok(await refusesConnections(cluster.nodePorts('raft-0').clientPort), 'nothing runs as raft-0');
  await agreedVoters(cluster, ['raft-1', 'raft-2', 'raft-3']);

  await cluster.launchJoining('raft-0');
  await changeMembership(cluster, { op: 'add-member', node: 'raft-0', address: cluster.clientAddress('raft-0') });
  await agreedVoters(cluster, ['raft-0', 'raft-1', 'raft-2', 'raft-3']);
  await t.rejects(cluster.launchJoining('raft-0'), /cannot launch raft-0 to join: it is running already/, 'a running node cannot be launched again');
  await t.rejects(cluster.removeNode('raft-4'), /cannot remove raft-4: it is not running/, 'a spare that never ran cannot be removed');

  const collected = await cluster.collectLogs(join(dirs.workDir, 'collected'));
  t.same(collected.map((path) => path.slice(path.lastIndexOf('/') + 1)), ['raft-0.log', 'raft-1.log', 'raft-2.log', 'raft-3.log'], 'every node that ran has its log');
  const log0 = await readFile(join(dirs.workDir, 'collected', 'raft-0.log'), 'utf8');
  t.ok((log0.match(/\[raft-chaos\] .* start: raft-0/g) ?? []).length >= 2, 'the replaced node\'s log keeps its first life and its second');
  t.same(cluster.unexpectedExits(), [], 'no node crashed');

  const pids = await Promise.all(cluster.nodes.map((node) => pidOf(cluster, node)));
  await cluster.teardown();
  for (const pid of pids) t.same(await liveMembers(pid), [], `process group ${pid} is gone`);
});

t.test('--keep hands over joined nodes too; clean removes them', { skip }, async (t) => {
  const { cluster, dirs } = await startWithSpares(t, 'membership-keep', ['raft-3']);
  await cluster.launchJoining('raft-3');
  await changeMembership(cluster, { op: 'add-member', node: 'raft-3', address: cluster.clientAddress('raft-3') });
  const kept = await cluster.keep();
  t.teardown(() => sweepLocalRuns({ stateDir: dirs.stateDir, all: true }));
  t.same(kept.nodes.map((node) => node.node), ['raft-0', 'raft-1', 'raft-2', 'raft-3'], 'the joined node is kept');
  await agreedVoters(cluster, ['raft-0', 'raft-1', 'raft-2', 'raft-3']);
  const leader = await leaderOf(cluster);
  t.match(await request(cluster.clientAddress(leader), { op: 'put', key: 'k', value: 'kept' }, 10_000), { ok: true }, 'the kept cluster commits');
  const removed = await sweepLocalRuns({ stateDir: dirs.stateDir, all: true });
  t.equal(removed.length, 1, 'clean finds the kept run');
  for (const node of kept.nodes) t.ok(await refusesConnections(Number(node.clientAddress.split(':')[1])), `${node.node} is gone after clean`);
});

t.test('a spare joins through a leader that itself joined after the launch', { skip }, async (t) => {
  const { cluster, dirs } = await startWithSpares(t, 'membership-joined-leader', ['raft-3', 'raft-4']);
  await cluster.launchJoining('raft-3');
  await changeMembership(cluster, { op: 'add-member', node: 'raft-3', address: cluster.clientAddress('raft-3') });
  // Down to raft-3 alone: it must lead.
  for (const node of ['raft-0', 'raft-1', 'raft-2']) {
    await changeMembership(cluster, { op: 'remove-member', node });
    await cluster.removeNode(node);
  }
  t.equal(await leaderOf(cluster), 'raft-3', 'the node that joined leads');
  await cluster.launchJoining('raft-4');
  t.equal(await readEnvironmentVariable(await pidOf(cluster, 'raft-4'), 'RAFT_MEMBERS'), 'raft-3', 'a joining node names the nodes running now as RAFT_MEMBERS, so it links to them');
  await changeMembership(cluster, { op: 'add-member', node: 'raft-4', address: cluster.clientAddress('raft-4') });
  await agreedVoters(cluster, ['raft-3', 'raft-4']);
});
