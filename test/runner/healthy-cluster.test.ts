import t from 'tap';
import { agreedLeader } from '../../harness/cluster-health/agreed-leader.js';
import { healthyCluster } from '../../harness/cluster-health/healthy-cluster.js';
import type { NodeStatusAnswer, StatusSnapshot } from '../../harness/cluster-health/status-snapshot.js';

function answer(node: string, role: 'leader' | 'follower', term: number, leader: string | null, commitIndex = 10, lastApplied = commitIndex): NodeStatusAnswer {
  return { node, answered: true, status: { node, role, term, leader, commitIndex, lastApplied, lastLogIndex: commitIndex } };
}
const snapshot = (...answers: NodeStatusAnswer[]): StatusSnapshot => ({ answers, takenAtMs: 0 });

t.test('a leader needs a majority agreeing in its term', async (t) => {
  const agreed = agreedLeader(snapshot(answer('a', 'leader', 2, 'a'), answer('b', 'follower', 2, 'a'), answer('c', 'follower', 1, 'c')));
  t.match(agreed, { found: true, leader: 'a', term: 2 });
  const alone = agreedLeader(snapshot(answer('a', 'leader', 2, 'a'), answer('b', 'follower', 1, 'c'), { node: 'c', answered: false, error: 'timeout' }));
  t.match(alone, { found: false, reason: /only 1 of 2/ });
  t.match(agreedLeader(snapshot(answer('a', 'leader', 2, 'a'), answer('b', 'leader', 2, 'b'), answer('c', 'follower', 2, 'a'))), { found: false, reason: /two leaders in term 2/ });
});

t.test('healthy: every node answers and has caught up', async (t) => {
  t.match(healthyCluster(snapshot(answer('a', 'leader', 2, 'a'), answer('b', 'follower', 2, 'a'), answer('c', 'follower', 2, 'a'))), { healthy: true, leader: 'a', commitIndex: 10 });
  t.match(healthyCluster(snapshot(answer('a', 'leader', 2, 'a'), answer('b', 'follower', 2, 'a'), answer('c', 'follower', 2, 'a', 10, 8))), { healthy: false, reason: /c at commit 10\/applied 8/ });
  t.match(healthyCluster(snapshot(answer('a', 'leader', 2, 'a'), answer('b', 'follower', 2, 'a'), { node: 'c', answered: false, error: 'connection_lost' })), { healthy: false, reason: /not answering status: c \(connection_lost\)/ });
});

t.test('a node that holds no replica of the data is not asked to catch up, but must still answer', async (t) => {
  const noReplica = (node: string): NodeStatusAnswer => {
    const status = { node, role: 'follower' as const, term: 2, leader: 'a', commitIndex: 0, lastApplied: 0, lastLogIndex: 0 };
    return { node, answered: true, status, holdsNoReplica: true };
  };
  t.match(healthyCluster(snapshot(answer('a', 'leader', 2, 'a'), answer('b', 'follower', 2, 'a'), answer('c', 'follower', 2, 'a'), noReplica('d'), noReplica('e'))), { healthy: true });
  t.match(healthyCluster(snapshot(answer('a', 'leader', 2, 'a'), answer('b', 'follower', 2, 'a'), answer('c', 'follower', 2, 'a', 0), noReplica('d'))), { healthy: false, reason: /c at commit 0\/applied 0$/ });
});

t.test('against an earlier reference, nodes ahead of it count as caught up', async (t) => {
  const moving = snapshot(answer('a', 'leader', 2, 'a', 14), answer('b', 'follower', 2, 'a', 12), answer('c', 'follower', 2, 'a', 13));
  t.match(healthyCluster(moving), { healthy: false });
  t.match(healthyCluster(moving, 12), { healthy: true });
});
