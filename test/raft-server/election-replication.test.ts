import t from 'tap';
import { TestCluster } from './test-cluster.js';

for (const [size, separatePeerPorts] of [[3, true], [5, false]] as const) {
  const ports = separatePeerPorts ? 'peer ports apart from client ports' : 'peers and clients sharing one port';
  t.test(`${size} nodes (${ports}) elect exactly one leader and replicate through it`, async (t) => {
    const cluster = await TestCluster.create(t, size, {}, { separatePeerPorts });
    await cluster.startAll();
    const leader = await cluster.waitForLeader();
    t.ok(cluster.nodes.includes(leader), `${leader} leads`);

    const put = await cluster.viaLeader({ op: 'put', key: 'colour', value: 'blue' });
    t.equal(put.ok, true, 'the put is acknowledged');
    const read = await cluster.viaLeader({ op: 'get', key: 'colour' });
    t.same({ ok: read.ok, value: read.value }, { ok: true, value: 'blue' }, 'a linearizable get reads it back');
    const absent = await cluster.viaLeader({ op: 'get', key: 'never-written' });
    t.equal(absent.value, null, 'an absent key reads as null');

    const currentLeader = await cluster.waitForLeader();
    const follower = cluster.nodes.find((node) => node !== currentLeader)!;
    const refused = await cluster.call(follower, { op: 'put', key: 'colour', value: 'red' });
    t.same({ ok: refused.ok, error: refused.error, leader: refused.leader }, { ok: false, error: 'not_leader', leader: currentLeader }, 'a follower refuses writes and names the leader');

    const leaderStatus = await cluster.call(currentLeader, { op: 'status' });
    for (const node of cluster.nodes) {
      const status = await cluster.call(node, { op: 'status' });
      t.equal(status.term, leaderStatus.term, `${node} is in the leader's term`);
    }
    t.same(cluster.termsWithTwoLeaders(), [], 'no term ever had two leaders');
  });
}
