import t from 'tap';
import { checkCapabilities } from '../../harness/scenario/check-capabilities.js';
import { compilePlan } from '../../harness/scenario/compile-plan.js';
import { parseScenario } from '../../harness/scenario/load-scenario.js';
import { ScenarioError } from '../../harness/scenario/scenario-problem.js';
import type { Capability } from '../../harness/platform/platform.js';

const text = [
  'name: mixed',
  'description: every kind of step',
  'cluster:',
  '  replicas: 3',
  '  env:',
  '    RAFT_ELECTION_TIMEOUT_MS: "300"',
  'timeline:',
  '  - wait-for-leader: 10s',
  '  - wait: 2s',
  '  - fault: pause',
  '    target: raft-2',
  '  - heal: all',
  '  - restart: all',
  '  - nemesis: 20s',
  '    faults: [kill, lossy-links]',
  '  - wait-for-healthy: 10s',
].join('\n');

t.test('compiling is deterministic for a seed and carries the seed', async (t) => {
  const scenario = parseScenario(text, 'scenarios/mixed.yaml');
  const first = compilePlan(scenario, { seed: 42 });
  const second = compilePlan(parseScenario(text, 'scenarios/mixed.yaml'), { seed: 42 });
  t.same(first, second);
  t.equal(first.seed, 42);
  const other = compilePlan(scenario, { seed: 43 });
  t.same({ ...other, seed: 42 }, first, 'another seed changes only the seed');
});

t.test('the plan lists the capabilities of every fault, nemesis fault and restart', async (t) => {
  const plan = compilePlan(parseScenario(text, 'scenarios/mixed.yaml'), { seed: 1 });
  t.same(plan.needs, ['kill', 'pause', 'shapeLinks', 'stopStart']);
  t.same(plan.cluster.serverEnv, { RAFT_ELECTION_TIMEOUT_MS: '300' });
  t.match(plan.steps[2], { type: 'fault', fault: 'pause', target: { kind: 'node', node: 'raft-2' }, source: 'scenarios/mixed.yaml:10:5' });
});

t.test('--replicas overrides the cluster size and node targets must exist in it', async (t) => {
  const scenario = parseScenario(text, 'scenarios/mixed.yaml');
  t.equal(compilePlan(scenario, { seed: 1, replicas: 5 }).cluster.replicas, 5);
  t.throws(() => compilePlan(scenario, { seed: 1, replicas: 1 }), ScenarioError);
  try {
    compilePlan(scenario, { seed: 1, replicas: 1 });
  } catch (error) {
    t.equal((error as Error).message, 'scenarios/mixed.yaml:10:5 target: expected a node of this 1-node cluster (raft-0 … raft-0), got "raft-2"');
  }
});

t.test('--duration-scale scales waits and the nemesis, not timeouts, and extends the time limit', async (t) => {
  const scenario = parseScenario(text, 'scenarios/mixed.yaml');
  const plan = compilePlan(scenario, { seed: 1, durationScale: 2 });
  t.match(plan.steps[0], { type: 'wait-for-leader', timeoutMs: 10_000 });
  t.match(plan.steps[1], { type: 'wait', durationMs: 4000 });
  t.match(plan.steps[5], { type: 'nemesis', durationMs: 40_000 });
  t.equal(plan.timeLimitMs, scenario.timeLimitMs + 22_000);
  t.match(scenario.timeline[1], { durationMs: 2000 }, 'the scenario itself is not changed');
});

t.test('a platform lacking a capability is rejected with the step, the fault and the platform', async (t) => {
  const plan = compilePlan(parseScenario(text, 'scenarios/mixed.yaml'), { seed: 1 });
  const kubernetesOnly = new Set<Capability>(['kill', 'readLogs']);
  const problems = checkCapabilities(plan, 'kind', kubernetesOnly);
  t.same(problems.map((problem) => problem.capability), ['pause', 'stopStart', 'shapeLinks']);
  t.equal(
    problems[0].message,
    'scenarios/mixed.yaml:10:5 fault pause needs the pause capability, which the kind platform lacks (it has: kill, readLogs); run it on another platform or remove the step',
  );
  t.match(problems[2].message, /nemesis fault lossy-links needs the shapeLinks capability/);
  t.same(checkCapabilities(plan, 'local', new Set<Capability>(['kill', 'pause', 'stopStart', 'shapeLinks'])), []);
});
