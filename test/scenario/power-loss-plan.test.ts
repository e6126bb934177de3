// The power-loss fault in scenarios and plans: it needs the powerLoss capability, targets the
// leader by default, a nemesis picks it only when it is listed, and a platform without it
// rejects the scenario before anything starts, saying what would provide it.

import t from 'tap';
import type { Platform } from '../../harness/platform/platform.js';
import { missingNeeds } from '../../harness/runner/missing-needs.js';
import { checkCapabilities } from '../../harness/scenario/check-capabilities.js';
import { compilePlan } from '../../harness/scenario/compile-plan.js';
import { parseScenario } from '../../harness/scenario/load-scenario.js';

function plan(timeline: string[]) {
  const text = ['name: power', 'description: power-loss steps', 'timeline:', ...timeline].join('\n');
  return compilePlan(parseScenario(text, 'scenarios/power.yaml'), { seed: 3 });
}

const rootReason = 'power-loss on the local platform … needs root and loop devices: run the harness as root';

t.test('a power-loss step needs powerLoss and hits the leader unless told otherwise', async (t) => {
  const compiled = plan(['  - fault: power-loss', '  - fault: power-loss', '    target: all']);
  t.same(compiled.needs, ['powerLoss']);
  t.match(compiled.steps, [
    { type: 'fault', fault: 'power-loss', id: 'power-loss-1', target: { kind: 'leader' } },
    { type: 'fault', fault: 'power-loss', id: 'power-loss-2', target: { kind: 'all' } },
  ]);
});

t.test('a nemesis picks power-loss only when its list names it', async (t) => {
  const byDefault = plan(['  - nemesis: 10s']);
  t.notOk(byDefault.needs.includes('powerLoss'), 'the default list leaves it out');
  t.match(byDefault.steps[0], { type: 'nemesis' });
  t.notOk(byDefault.steps[0]?.type === 'nemesis' && byDefault.steps[0].faults.includes('power-loss'));
  const listed = plan(['  - nemesis: 10s', '    faults: [kill, power-loss]']);
  t.same(listed.needs, ['kill', 'powerLoss']);
});

t.test('a platform without powerLoss rejects the step and says what would provide it', async (t) => {
  const compiled = plan(['  - wait: 1s', '  - fault: power-loss']);
  const capabilities = new Set(['kill', 'readLogs'] as const);
  const [problem] = checkCapabilities(compiled, 'local', capabilities, { powerLoss: rootReason });
  t.equal(
    problem?.message,
    `scenarios/power.yaml:5:5 fault power-loss needs the powerLoss capability, which the local platform lacks (it has: kill, readLogs): ${rootReason}; otherwise run it on another platform or remove the step`,
  );
  // no-power-loss-platform: a platform double without powerLoss; starting it would be a test failure.
  const platform: Platform = { name: 'local', capabilities, unavailableReasons: { powerLoss: rootReason }, start: () => Promise.reject(new Error('must not start')), sweep: async () => [] };
  t.match(missingNeeds(compiled, platform), { message: new RegExp(`fault power-loss needs the powerLoss capability.*: ${rootReason.slice(0, 30)}`) });
});
