// The pure parts of the etcd system: its command line, its status fields, its error classes.

import { GRPCDeadlineExceededError, GRPCUnavailableError, type IStatusResponse } from 'etcd3';
import t from 'tap';
import { etcdFailure } from '../../harness/systems/etcd/etcd-failure.js';
import { etcdLaunch } from '../../harness/systems/etcd/etcd-launch.js';
import { etcdStatusFields } from '../../harness/systems/etcd/etcd-status-probe.js';
import type { NodePlacement } from '../../harness/systems/system.js';

const placements: NodePlacement[] = ['raft-0', 'raft-1', 'raft-2'].map((node, index) => ({
  node,
  index,
  host: `127.200.1.${index + 1}`,
  listenHost: `127.200.1.${index + 1}`,
  clientPort: 4000 + index,
  peerPort: 5000 + index,
}));

t.test('one member per node: its own URLs, the initial cluster from every peer address', async (t) => {
  const launch = etcdLaunch({ self: placements[1]!, nodes: placements, dataDir: '/data/raft-1', peerAddress: (node) => `proxy-for-${node}:1`, serverEnv: {} }, '/opt/etcd');
  t.equal(launch.file, '/opt/etcd');
  t.equal(launch.shell, false);
  t.same(launch.arguments.slice(0, 6), [
    '--name=raft-1',
    '--data-dir=/data/raft-1',
    '--listen-client-urls=http://127.200.1.2:4001',
    '--advertise-client-urls=http://127.200.1.2:4001',
    '--listen-peer-urls=http://127.200.1.2:5001',
    '--initial-advertise-peer-urls=http://127.200.1.2:5001',
  ]);
  t.ok(launch.arguments.includes('--initial-cluster=raft-0=http://proxy-for-raft-0:1,raft-1=http://127.200.1.2:5001,raft-2=http://proxy-for-raft-2:1'));
});

function status(memberId: string, leader: string, fields: Partial<IStatusResponse> = {}): IStatusResponse {
  return {
    header: { cluster_id: '1', member_id: memberId, revision: '9', raft_term: '4' },
    version: '3.4.23', dbSize: '1', leader, raftIndex: '120', raftTerm: '4', raftAppliedIndex: '118', errors: [], dbSizeInUse: '1', isLearner: false,
    ...fields,
  };
}

t.test('status: a member leads when the leader id is its own; ids map to node names', async (t) => {
  const names = (id: string) => (id === '22' ? 'raft-2' : `member ${id}`);
  t.same(etcdStatusFields('raft-2', status('22', '22'), names), { node: 'raft-2', role: 'leader', term: 4, leader: 'raft-2', commitIndex: 120, lastApplied: 118, lastLogIndex: 120 });
  t.match(etcdStatusFields('raft-0', status('11', '22'), names), { role: 'follower', leader: 'raft-2' });
  t.match(etcdStatusFields('raft-0', status('11', '0'), names), { role: 'follower', leader: null }, 'no leader known');
  t.match(etcdStatusFields('raft-0', status('11', '22', { raftAppliedIndex: '0' }), names), { lastApplied: 120 }, 'a status without an applied index counts the committed one');
});

t.test('only a failed compare is definite: deadlines, lost connections and server errors are not', async (t) => {
  t.match(etcdFailure(new GRPCDeadlineExceededError('4 DEADLINE_EXCEEDED: Deadline exceeded')), { error: 'no_response', definite: false });
  t.match(etcdFailure(new GRPCUnavailableError('14 UNAVAILABLE: Connection dropped')), { error: 'unavailable', definite: false });
  t.match(etcdFailure(new Error('etcdserver: request timed out')), { error: 'timeout', definite: false });
  t.match(etcdFailure(new Error('etcdserver: leader changed')), { error: 'unavailable', definite: false });
  t.match(etcdFailure('not even an error'), { definite: false, message: 'not even an error' });
});
