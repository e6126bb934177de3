import t from 'tap';
import { spareNodesFor } from '../../harness/runner/spare-nodes-for.js';
import type { Plan, Step } from '../../harness/scenario/plan.js';

const plan = (steps: Step[]): Pick<Plan, 'cluster' | 'steps'> => ({ cluster: { replicas: 3, serverEnv: {}, restartDelayMs: 1000 }, steps });
const grow: Step = { type: 'fault', id: 'grow-1', fault: 'grow', target: { kind: 'all' }, source: 'x:1:1' };

t.test('one spare per grow step and one for a nemesis that may grow, named after the launch nodes', async (t) => {
  t.same(spareNodesFor(plan([])), [], 'no grow, no spares');
  t.same(spareNodesFor(plan([{ ...grow, fault: 'shrink' }, { ...grow, fault: 'replace' }])), [], 'shrink and replace reuse the removed name');
  t.same(spareNodesFor(plan([grow, { ...grow, id: 'grow-2' }])), ['raft-3', 'raft-4']);
  const nemesis: Step = { type: 'nemesis', durationMs: 1000, faults: ['kill', 'grow'], intervalMs: 100, holdMs: 100, source: 'x:2:1' };
  t.same(spareNodesFor(plan([grow, nemesis])), ['raft-3', 'raft-4']);
});
