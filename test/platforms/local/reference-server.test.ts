// The local platform with the reference server (bin/raft-server.js): a leader is elected,
// a killed leader comes back as a new process, an isolated leader is replaced, and teardown
// leaves nothing behind.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { createLocalPlatform } from '../../../harness/platforms/local/create-local-platform.js';
import type { LocalCluster } from '../../../harness/platforms/local/local-cluster.js';
import { eventually, liveMembers, makeDirs, refusesConnections, request } from './local-test-kit.js';

const serverMain = fileURLToPath(new URL('../../../raft/server/main.js', import.meta.url));
const skip = existsSync(serverMain) ? false : `the reference server is not built (${serverMain} is missing)`;

/** The leader every reachable node in `nodes` agrees on, once there is one. */
async function agreedLeader(cluster: LocalCluster, nodes: readonly string[], timeoutMs = 30_000): Promise<string> {
  return eventually(`a leader agreed by ${nodes.join(', ')}`, timeoutMs, async () => {
    const statuses = await Promise.all(nodes.map((node) => request(cluster.clientAddress(node), { op: 'status' }, 1_000)));
    const leaders = new Set(statuses.map((status) => status.leader));
    const leader = statuses[0]?.leader;
    return leaders.size === 1 && typeof leader === 'string' && nodes.includes(leader) ? leader : undefined;
  });
}

t.test('reference server on the local platform', { skip }, async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const cluster = await createLocalPlatform({ stateDir: dirs.stateDir }).start({
    runId: `reference-${process.pid}`,
    nodes: ['raft-0', 'raft-1', 'raft-2'],
    serverEnv: { RAFT_ELECTION_TIMEOUT_MS_MIN: '300', RAFT_ELECTION_TIMEOUT_MS_MAX: '600', RAFT_HEARTBEAT_MS: '50' },
    workDir: dirs.workDir,
    restartDelayMs: 200,
  });
  t.teardown(() => cluster.teardown());

  const leader = await agreedLeader(cluster, cluster.nodes);
  t.match(await request(cluster.clientAddress(leader), { op: 'put', key: 'k', value: 'v1' }, 10_000), { ok: true }, 'a write through the leader');

  const killedPid = Number((await cluster.identity(leader)).instance);
  await cluster.kill(leader);
  t.same(await liveMembers(killedPid), [], 'the killed leader is gone');
  await eventually('the killed node is back as a new process', 30_000, async () => {
    const status = await request(cluster.clientAddress(leader), { op: 'status' }, 1_000);
    return status.node === leader ? true : undefined;
  });
  t.not((await cluster.identity(leader)).instance, String(killedPid), 'identity changed');

  const current = await agreedLeader(cluster, cluster.nodes);
  const others = cluster.nodes.filter((node) => node !== current);
  await cluster.cutLinks(others.flatMap((other) => [{ from: current, to: other }, { from: other, to: current }]));
  const replacement = await agreedLeader(cluster, others);
  t.not(replacement, current, `the majority elected ${replacement} without the isolated ${current}`);
  const read = await request(cluster.clientAddress(replacement), { op: 'get', key: 'k' }, 10_000);
  t.match(read, { ok: true, value: 'v1' }, 'the acknowledged write survived kill and partition');
  await cluster.healAll();
  await agreedLeader(cluster, cluster.nodes);

  const pids = await Promise.all(cluster.nodes.map(async (node) => Number((await cluster.identity(node)).instance)));
  const ports = [...cluster.proxyPorts(), ...cluster.nodes.map((node) => cluster.nodePorts(node).clientPort)];
  await cluster.teardown();
  for (const pid of pids) t.same(await liveMembers(pid), [], `group ${pid} is gone`);
  for (const port of ports) t.ok(await refusesConnections(port), `nothing listens on ${port}`);
});
