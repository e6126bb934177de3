import t from 'tap';
import {
  dropLinkCommand,
  ensureChainCommands,
  flushChainCommand,
  shapeLinkCommands,
} from '../../../harness/platforms/kind/kind-link-rules.js';
import { statefulSetPeers, statefulSetPodNames } from '../../../harness/platforms/kind/raft-peers.js';
import { mergeEnv } from '../../../harness/platforms/kind/customize-manifests.js';

t.test('a cut link drops traffic from one pod IP to the other in our own chain', async (t) => {
  t.same(dropLinkCommand('10.244.1.3', '10.244.2.3'), ['iptables', '-w', '-A', 'RAFT-CHAOS', '-s', '10.244.1.3', '-d', '10.244.2.3', '-j', 'DROP']);
  t.match(ensureChainCommands()[1]!.join(' '), /iptables -w -C FORWARD -j RAFT-CHAOS .*\|\| iptables -w -I FORWARD 1 -j RAFT-CHAOS/);
  t.match(flushChainCommand().join(' '), /iptables -w -F RAFT-CHAOS/);
});

t.test('shaping puts netem behind a filter per destination pod', async (t) => {
  const commands = shapeLinkCommands('eth0', ['10.244.2.3', '10.244.3.3'], { delayMs: 100, jitterMs: 20, dropRate: 0.1 });
  const lines = commands.map((command) => command.join(' '));
  t.match(lines[0], /tc qdisc del dev eth0 root/);
  t.match(lines[2], /parent 1:4 handle 40: netem delay 100ms 20ms loss 10.00%/);
  t.equal(lines.filter((line) => line.includes('u32 match ip dst')).length, 2);
  t.match(lines[4], /match ip dst 10\.244\.3\.3\/32 flowid 1:4/);
});

t.test('peers follow the StatefulSet DNS names', async (t) => {
  t.same(statefulSetPodNames('raft', 3), ['raft-0', 'raft-1', 'raft-2']);
  t.equal(
    statefulSetPeers({ statefulSetName: 'raft', serviceName: 'raft', namespace: 'ns', replicas: 2, peerPort: 7001 }),
    'raft-0=raft-0.raft.ns.svc.cluster.local:7001,raft-1=raft-1.raft.ns.svc.cluster.local:7001',
  );
});

t.test('merging env keeps order and references, replaces and appends values', async (t) => {
  const merged = mergeEnv(
    [
      { name: 'RAFT_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'RAFT_PEERS', value: 'old' },
    ],
    { RAFT_PEERS: 'new', RAFT_BUG_DOUBLE_VOTE: '1' },
  );
  t.same(merged, [
    { name: 'RAFT_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'RAFT_PEERS', value: 'new' },
    { name: 'RAFT_BUG_DOUBLE_VOTE', value: '1' },
  ]);
});
