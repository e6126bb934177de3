import t from 'tap';
import path from 'node:path';
import { compilePlan } from '../../harness/scenario/compile-plan.js';
import { loadScenarioFile } from '../../harness/scenario/load-scenario.js';
import { defaultScenariosDir, listScenarioNames } from '../../harness/scenario/scenario-catalog.js';

const expected = [
  'baseline',
  'isolate-leader',
  'kill-follower',
  'kill-leader',
  'lose-majority',
  'lossy-links',
  'partition-majority-minority',
  'pause-leader',
  'power-loss',
  'random-nemesis',
  'remove-leader',
  'replace-wiped-node',
  'rolling-restart',
  'scale-up-and-down',
  'slow-links',
  'soak',
  'stop-leader-host',
];

t.test('every shipped scenario loads, compiles, is named after its file and describes itself', async (t) => {
  const names = await listScenarioNames(defaultScenariosDir());
  t.same(names, expected);
  for (const name of names) {
    const scenario = await loadScenarioFile(path.join(defaultScenariosDir(), `${name}.yaml`));
    const plan = compilePlan(scenario, { seed: 7 });
    t.equal(plan.name, name, `${name}: name matches the file`);
    t.ok(plan.description.length > 40, `${name}: has a description`);
    t.ok(plan.steps.some((step) => step.type === 'wait-for-leader'), `${name}: waits for a leader first`);
  }
});

t.test('the shipped scenarios need the capabilities their faults imply', async (t) => {
  const needs = async (name: string) => compilePlan(await loadScenarioFile(path.join(defaultScenariosDir(), `${name}.yaml`)), { seed: 1 }).needs;
  t.same(await needs('baseline'), []);
  t.same(await needs('kill-leader'), ['kill']);
  t.same(await needs('stop-leader-host'), ['stopStart']);
  t.same(await needs('pause-leader'), ['pause']);
  t.same(await needs('power-loss'), ['powerLoss']);
  t.same(await needs('isolate-leader'), ['cutLinks']);
  t.same(await needs('partition-majority-minority'), ['cutLinks']);
  t.same(await needs('rolling-restart'), ['stopStart']);
  t.same(await needs('slow-links'), ['shapeLinks']);
  t.same(await needs('lossy-links'), ['shapeLinks']);
  t.same(await needs('scale-up-and-down'), ['membership']);
  t.same(await needs('replace-wiped-node'), ['membership']);
  t.same(await needs('remove-leader'), ['membership']);
  t.same(await needs('random-nemesis'), ['cutLinks', 'kill', 'pause', 'shapeLinks', 'stopStart']);
  t.same(await needs('soak'), ['cutLinks', 'kill', 'membership', 'pause', 'powerLoss', 'shapeLinks', 'stopStart'], 'every fault kind, before narrowing to the platform');
});

t.test('the soak scenario is thirty minutes of every supported fault, opt-in, at 1,000 operations per second', async (t) => {
  const scenario = await loadScenarioFile(path.join(defaultScenariosDir(), 'soak.yaml'));
  t.equal(scenario.inAll, false);
  t.equal(scenario.workload.ratePerSecond, 1000);
  const nemesis = scenario.timeline.find((step) => step.type === 'nemesis');
  t.match(nemesis, { durationMs: 30 * 60_000, supportedOnly: true });
  t.ok(scenario.timeLimitMs > 30 * 60_000);
  const scaled = compilePlan(scenario, { seed: 1, durationScale: 0.01 });
  t.equal(scaled.steps.find((step) => step.type === 'nemesis')?.durationMs, 18_000, '--duration-scale shortens it');
});

t.test('the scenario time written into the shipped files keeps `run all` short', async (t) => {
  let totalMs = 0;
  for (const name of expected) {
    if (name === 'soak') continue; // opt-in: not part of `run all`
    const scenario = await loadScenarioFile(path.join(defaultScenariosDir(), `${name}.yaml`));
    const waitedMs = scenario.timeline.reduce((sum, step) => sum + (step.type === 'wait' || step.type === 'nemesis' ? step.durationMs : 0), 0);
    t.ok(waitedMs <= (name === 'random-nemesis' ? 65_000 : 20_000), `${name}: ${waitedMs} ms of waits`);
    totalMs += waitedMs;
  }
  // 200 s before the three membership scenarios, which add 21 s.
  t.ok(totalMs <= 220_000, `all scenarios wait ${totalMs} ms in total`);
});
