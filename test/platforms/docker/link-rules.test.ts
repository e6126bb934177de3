// The pure planner of iptables rules for cut and shaped links.

import t from 'tap';
import { planLinkRules, ruleKey } from '../../../harness/platforms/docker/link-rules.js';

const addresses = new Map([
  ['raft-0', '10.0.0.2'],
  ['raft-1', '10.0.0.3'],
  ['raft-2', '10.0.0.4'],
]);
const keys = (plan: Map<string, Parameters<typeof ruleKey>[0][]>) =>
  Object.fromEntries([...plan].map(([node, rules]) => [node, rules.map(ruleKey)]));

t.test('a cut link drops at the sender (OUTPUT) and at the receiver (INPUT)', async (t) => {
  const plan = planLinkRules({ cuts: [{ from: 'raft-0', to: 'raft-1' }] }, addresses);
  t.same(keys(plan), {
    'raft-0': ['filter OUTPUT -d 10.0.0.3 -j DROP'],
    'raft-1': ['filter INPUT -s 10.0.0.2 -j DROP'],
  });
});

t.test('a rule that would name a node without a known address is left out', async (t) => {
  const plan = planLinkRules({ cuts: [{ from: 'raft-0', to: 'raft-9' }] }, addresses);
  t.same(keys(plan), { 'raft-9': ['filter INPUT -s 10.0.0.2 -j DROP'] }, 'only the receiver side, which names raft-0');
});

t.test('no faults, no rules', async (t) => {
  t.same(keys(planLinkRules({ cuts: [] }, addresses)), {});
});

t.test('a lossy link drops a random fraction at the sender only', async (t) => {
  const plan = planLinkRules({ cuts: [], shaping: { links: [{ from: 'raft-2', to: 'raft-0' }], shape: { delayMs: 0, jitterMs: 0, dropRate: 0.25 } } }, addresses);
  t.same(keys(plan), {
    'raft-2': ['filter OUTPUT -d 10.0.0.2 -m statistic --mode random --probability 0.250000 -j DROP'],
  });
});

t.test('a delayed link sends new peer connections to its proxy and resets direct ones', async (t) => {
  const proxies = new Map([['raft-0->raft-1', { host: '10.0.0.1', port: 40001 }]]);
  const plan = planLinkRules(
    { cuts: [], shaping: { links: [{ from: 'raft-0', to: 'raft-1' }], shape: { delayMs: 100, jitterMs: 0, dropRate: 0.5 } } },
    addresses,
    proxies,
  );
  t.same(keys(plan), {
    'raft-0': [
      'nat OUTPUT -d 10.0.0.3 -p tcp --dport 7001 -j DNAT --to-destination 10.0.0.1:40001',
      'filter OUTPUT -d 10.0.0.3 -p tcp --dport 7001 -j REJECT --reject-with tcp-reset',
      'filter OUTPUT -d 10.0.0.1 -p tcp --dport 40001 -m statistic --mode random --probability 0.500000 -j DROP',
    ],
  });
});

t.test('the same rule is planned once', async (t) => {
  const plan = planLinkRules({ cuts: [{ from: 'raft-0', to: 'raft-1' }, { from: 'raft-0', to: 'raft-1' }] }, addresses);
  t.equal(plan.get('raft-0')?.length, 1);
});
