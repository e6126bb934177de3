// The client against the reference server: 3 real nodes spawned from bin/raft-server.js.
import { existsSync } from 'node:fs';
import t from 'tap';
import { startLocalRaftCluster, serverEntry } from '../../bench/raft-local-cluster.js';
import type { ProcessCluster } from '../../harness/platforms/local/process-cluster.js';
import { waitForLeader } from '../../bench/raft-wait-for-leader.js';
import { pollUntil } from '../../harness/shared/poll-until.js';
import { RaftClient } from '../../raft/client/raft-client.js';
import type { OperationResult } from '../../raft/client/operation-result.js';

const skip = existsSync(serverEntry) ? false : `the reference server is not built (${serverEntry} is missing)`;

t.test('against 3 reference nodes', { skip }, async (t) => {
  const cluster = await startLocalRaftCluster({ nodeCount: 3 });
  t.teardown(() => cluster.stop());
  const probe = new RaftClient({ addresses: { ...cluster.clientAddresses }, requestTimeoutMs: 2000 });
  t.teardown(() => probe.close());
  const leader = await withLogs(cluster, waitForLeader(probe, 30_000));
  const follower = cluster.nodes.find((node) => node !== leader)!;

  // A client whose first address is a follower: the follower's not_leader hint leads it on.
  const ordered = Object.fromEntries([follower, ...cluster.nodes.filter((node) => node !== follower)].map((node) => [node, cluster.clientAddresses[node]!]));
  const client = new RaftClient({ addresses: ordered, requestTimeoutMs: 5000, operationDeadlineMs: 20_000 });
  t.teardown(() => client.close());

  await t.test('put, get, cas and delete round trip through a follower address', async (t) => {
    t.match(await client.put('k', 'v1'), { ok: true, node: leader });
    t.match(await client.get('k'), { ok: true, value: 'v1' });
    t.match(await client.cas('k', 'v1', 'v2'), { ok: true });
    t.match(await client.cas('k', 'v1', 'v3'), { ok: false, error: 'cas_mismatch', definite: true, value: 'v2' });
    t.match(await client.cas('absent', null, 'new'), { ok: true });
    t.match(await client.delete('k'), { ok: true });
    t.match(await client.get('k'), { ok: true, value: null });
    t.match(await client.get('absent'), { ok: true, value: 'new' });
    // A follower under load may start a pre-vote, which forgets the leader until the next
    // heartbeat: the status names the leader once it has heard from it again.
    const followerStatus = await pollUntil({
      what: `${follower} to name ${leader} as its leader`,
      timeoutMs: 10_000,
      intervalMs: 50,
      progressEveryMs: 60_000,
      progress: () => undefined,
      attempt: async () => {
        const answer = await client.status(follower);
        return { done: answer.ok && answer.status?.leader === leader, finding: answer, describe: JSON.stringify(answer) };
      },
    });
    t.match(followerStatus.finding, { ok: true, status: { role: 'follower', leader } }, 'the follower answers status and names the leader');
  });

  await t.test('members, removeMember and addMember go to the leader and are idempotent', async (t) => {
    const voters = (result: OperationResult) => (result.ok ? (result.members ?? []) : []).filter((member) => member.role === 'voter').map((member) => member.id);
    const listed = await client.members();
    t.match(listed, { ok: true, node: leader, committed: true });
    t.same(voters(listed), [...cluster.nodes].sort());
    const other = cluster.nodes.find((node) => node !== leader && node !== follower)!;
    const removed = await client.removeMember(other);
    t.match(removed, { ok: true, node: leader }, 'removed', { removed });
    t.same(voters(removed), cluster.nodes.filter((node) => node !== other).sort());
    t.match(await client.removeMember(other), { ok: true }, 'removing it again changes nothing');
    // Nodes of RAFT_PEERS are dialled at their RAFT_PEERS address; the address given here is for the others.
    const added = await client.addMember(other, cluster.clientAddresses[other]!);
    t.match(added, { ok: true }, 'added back: a learner, then a voter once caught up', { added });
    t.same(voters(added), [...cluster.nodes].sort());
    t.match(await client.addMember(other, cluster.clientAddresses[other]!), { ok: true }, 'adding it again changes nothing');
  });

  await t.test('after kill -9 of the leader the client finds the new one', async (t) => {
    await cluster.kill(leader);
    const result = await client.put('after-failover', 'x');
    t.match(result, { ok: true }, 'a write succeeds after the leader died', { result });
    t.not(result.node, leader, 'answered by a new leader');
    t.equal(client.leader, result.node, 'the new leader is remembered');
    t.match(await client.get('after-failover'), { ok: true, value: 'x', node: result.node });
  });
});

async function withLogs<T>(cluster: ProcessCluster, promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    const logs = cluster.nodes.map((node) => `--- ${node} (${cluster.workDir}/${node}/node.log)\n${cluster.logTail(node)}`).join('\n');
    throw new Error(`${(error as Error).message}\n${logs}`);
  }
}
