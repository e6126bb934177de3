// Pure pieces of membership on kind: each pod's membership file, and how launching or removing
// a pod maps onto a StatefulSet that grows and shrinks at its highest ordinal only.

import t from 'tap';
import { planLaunch, planRemoval, podOrdinal } from '../../../harness/platforms/kind/kind-membership-plan.js';
import { kindSpareNodesProblem } from '../../../harness/platforms/kind/kind-membership.js';
import { membershipFiles } from '../../../harness/platforms/kind/membership-files.js';

t.test('every pod gets its file: all peers, the launch voters, and whether it joins', async (t) => {
  const files = membershipFiles({ peers: ['raft-0', 'raft-1', 'raft-2'], launchMembers: ['raft-0', 'raft-1'], joining: new Set(['raft-2']) }, 'ns');
  t.same(Object.keys(files), ['raft-0.env', 'raft-1.env', 'raft-2.env']);
  const peers = 'RAFT_PEERS=raft-0=raft-0.raft.ns.svc.cluster.local:7001,raft-1=raft-1.raft.ns.svc.cluster.local:7001,raft-2=raft-2.raft.ns.svc.cluster.local:7001';
  t.equal(files['raft-0.env'], `${peers}\nRAFT_MEMBERS=raft-0,raft-1\nRAFT_JOIN=false\n`);
  t.equal(files['raft-2.env'], `${peers}\nRAFT_MEMBERS=raft-0,raft-1\nRAFT_JOIN=true\n`);
});

t.test('pod ordinals', async (t) => {
  t.equal(podOrdinal('raft', 'raft-12'), 12);
  t.equal(podOrdinal('raft', 'raft-01'), undefined);
  t.equal(podOrdinal('raft', 'other-1'), undefined);
});

t.test('launching beyond the replicas scales up; pods in between start parked', async (t) => {
  t.same(planLaunch('raft', 'raft-3', 3), { action: 'scale-up', replicas: 4, parked: [] });
  t.same(planLaunch('raft', 'raft-4', 3), { action: 'scale-up', replicas: 5, parked: ['raft-3'] });
  t.same(planLaunch('raft', 'raft-1', 3), { action: 'recreate' }, 'below the replicas: the pod and its claim are replaced');
});

t.test('removing the highest live pod scales down past it and parked pods; a lower one is parked', async (t) => {
  t.same(planRemoval('raft', 'raft-4', 5, ['raft-0', 'raft-1', 'raft-2', 'raft-3', 'raft-4']), { action: 'scale-down', replicas: 4, gone: ['raft-4'] });
  t.same(planRemoval('raft', 'raft-4', 5, ['raft-0', 'raft-1', 'raft-2', 'raft-4']), { action: 'scale-down', replicas: 3, gone: ['raft-3', 'raft-4'] }, 'parked raft-3 goes too');
  t.same(planRemoval('raft', 'raft-0', 5, ['raft-0', 'raft-1', 'raft-2', 'raft-3', 'raft-4']), { action: 'park' }, 'the StatefulSet cannot drop ordinal 0');
  t.same(planRemoval('raft', 'raft-0', 1, ['raft-0']), { action: 'scale-down', replicas: 0, gone: ['raft-0'] });
});

t.test('spares must be the ordinals after the launch pods', async (t) => {
  t.equal(kindSpareNodesProblem({ nodes: ['raft-0', 'raft-1', 'raft-2'], spareNodes: ['raft-3', 'raft-4'] }), undefined);
  t.equal(kindSpareNodesProblem({ nodes: ['raft-0'] }), undefined);
  t.match(kindSpareNodesProblem({ nodes: ['raft-0', 'raft-1', 'raft-2'], spareNodes: ['raft-4'] }), /spare pods by the ordinals after the launch pods \(raft-3\); the scenario asked for raft-4/);
});
