import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadScenarioFile, parseScenario } from '../../harness/scenario/load-scenario.js';
import { ScenarioError } from '../../harness/scenario/scenario-problem.js';

function problemsOf(text: string, file = 'scenarios/x.yaml'): string[] {
  try {
    parseScenario(text, file);
  } catch (error) {
    if (error instanceof ScenarioError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the scenario to be rejected');
}

const minimal = 'name: demo\ndescription: a demo\ntimeline:\n  - wait: 2s\n';

t.test('a minimal scenario gets every default', async (t) => {
  const scenario = parseScenario(minimal, 'scenarios/demo.yaml');
  t.equal(scenario.cluster.replicas, 3);
  t.equal(scenario.cluster.restartDelayMs, 500);
  t.equal(scenario.workload.clients, 4);
  t.equal(scenario.workload.ratePerSecond, 100);
  t.equal(scenario.workload.requestTimeoutMs, 1000);
  t.same(scenario.workload.mix, { read: 0.4, write: 0.4, cas: 0.15, delete: 0.05 });
  t.same(scenario.checks, {
    linearizable: true,
    noLostWrites: true,
    noPhantomValues: true,
    minOpsAroundFault: 5,
    healthyAfterMsMax: 20_000,
    checkerBudgetMs: 30_000,
  });
  t.equal(scenario.timeLimitMs, 120_000);
  t.same(scenario.timeline, [{ type: 'wait', durationMs: 2000, source: 'scenarios/demo.yaml:4:5' }]);
});

t.test('a negative rate names file:line:column, the field, what was expected and what was found', async (t) => {
  const text = `${minimal}workload:\n  clients: 2\n  rate: -5\n`;
  t.same(problemsOf(text), ['scenarios/x.yaml:7:9 workload.rate: expected a positive number, got -5']);
});

t.test('invalid YAML is reported with its position', async (t) => {
  const [problem] = problemsOf('name: demo\ndescription: [unclosed\ntimeline:\n  - wait: 1s\n');
  t.match(problem, /^scenarios\/x\.yaml:\d+:\d+ not valid YAML: /);
  t.notMatch(problem, /^scenarios\/x\.yaml:1:1 /, 'the position is where the library found the error, not the top of the file');
});

t.test('a YAML error points at the line and column the yaml library knows', async (t) => {
  t.same(problemsOf('name: demo\ndescription: d\nname: again\n'), ['scenarios/x.yaml:3:1 not valid YAML: Map keys must be unique']);
  t.match(problemsOf('name: demo\ndescription: d\ntimeline:\n\t- wait: 1s\n')[0], /^scenarios\/x\.yaml:4:1 not valid YAML: /);
});

t.test('a value of the wrong type', async (t) => {
  t.same(problemsOf(`${minimal}cluster:\n  replicas: three\n`), [
    'scenarios/x.yaml:6:13 cluster.replicas: expected a whole number from 1 to 9, got "three"',
  ]);
});

t.test('an unknown field is rejected with the nearest valid name', async (t) => {
  t.same(problemsOf(`${minimal}workload:\n  rat: 5\n`), ['scenarios/x.yaml:6:3 workload.rat: unknown field "rat": did you mean "rate"?']);
  const [farOff] = problemsOf(`${minimal}zzzzzz: 1\n`);
  t.match(farOff, /^scenarios\/x\.yaml:5:1 zzzzzz: unknown field "zzzzzz": expected one of name, description, cluster/);
});

t.test('a misspelt step kind or value suggests the right one', async (t) => {
  const text = 'name: demo\ndescription: d\ntimeline:\n  - wiat: 1s\n  - fault: kil\n    target: leadr\n';
  t.same(problemsOf(text), [
    'scenarios/x.yaml:4:5 timeline[0].wiat: expected a step starting with one of wait, fault, heal, restart, wait-for-leader, wait-for-healthy, nemesis, got "wiat" (did you mean "wait"?)',
    'scenarios/x.yaml:5:12 timeline[1].fault: expected one of kill, stop, pause, isolate, partition, slow-links, lossy-links, power-loss, grow, shrink, replace, got "kil" (did you mean "kill"?)',
    'scenarios/x.yaml:6:13 timeline[1].target: expected one of leader, followers, random-follower, minority, majority, random-node, all or a node name such as raft-1, got "leadr" (did you mean "leader"?)',
  ]);
});

t.test('durations accept ms, s, m and plain milliseconds, and reject anything else', async (t) => {
  const scenario = parseScenario('name: d\ndescription: d\ntimeline:\n  - wait: 500ms\n  - wait: 1.5s\n  - wait: 1m\n  - wait: 250\n', 'f.yaml');
  t.same(scenario.timeline.map((step) => (step.type === 'wait' ? step.durationMs : -1)), [500, 1500, 60_000, 250]);
  t.same(problemsOf('name: d\ndescription: d\ntimeline:\n  - wait: 2 s\n'), [
    'scenarios/x.yaml:4:11 timeline[0].wait: expected a duration such as 500ms, 2s or 1m (or a number of milliseconds), got "2 s"',
  ]);
});

t.test('missing required fields point at the enclosing mapping', async (t) => {
  const problems = problemsOf('name: demo\n');
  t.same(problems, [
    'scenarios/x.yaml:1:1 description: required field is missing: expected a non-empty string',
    'scenarios/x.yaml:1:1 timeline: required field is missing: expected a list of steps',
  ]);
});

t.test('faults get ids, default targets and only their own parameters', async (t) => {
  const text = [
    'name: d',
    'description: d',
    'timeline:',
    '  - fault: kill',
    '  - fault: partition',
    '  - fault: slow-links',
    '    delay: 50ms',
    '  - fault: lossy-links',
    '    id: drops',
    '  - heal: kill-1',
    '  - heal: all',
  ].join('\n');
  const steps = parseScenario(text, 'f.yaml').timeline;
  t.match(steps[0], { type: 'fault', id: 'kill-1', fault: 'kill', target: { kind: 'leader' } });
  t.match(steps[1], { type: 'fault', id: 'partition-1', target: { kind: 'minority' } });
  t.match(steps[2], { type: 'fault', fault: 'slow-links', parameters: { delayMs: 50, jitterMs: 20 }, target: { kind: 'all' } });
  t.match(steps[3], { type: 'fault', id: 'drops', parameters: { dropRate: 0.3 } });
  t.notOk('parameters' in steps[0], 'a kill carries no parameters');
  t.same(steps[4], { type: 'heal', faultId: 'kill-1', source: 'f.yaml:10:5' });
});

t.test('meaning checks: heal of an unknown fault, a parameter on the wrong fault, hold not shorter than interval', async (t) => {
  t.same(problemsOf('name: d\ndescription: d\ntimeline:\n  - fault: kill\n  - heal: kill-2\n'), [
    'scenarios/x.yaml:5:11 timeline[1].heal: expected "all" or the id of an earlier fault (kill-1), got "kill-2"',
  ]);
  t.same(problemsOf('name: d\ndescription: d\ntimeline:\n  - fault: pause\n    dropRate: 0.5\n'), [
    'scenarios/x.yaml:5:5 timeline[0].dropRate: dropRate applies only to lossy-links faults, not to pause: remove it',
  ]);
  const [nemesis] = problemsOf('name: d\ndescription: d\ntimeline:\n  - nemesis: 10s\n    interval: 2s\n    hold: 2s\n');
  t.match(nemesis, /^scenarios\/x\.yaml:6:11 timeline\[0\]\.hold: expected a hold shorter than the interval \(2s\)/);
  const [limit] = problemsOf('name: d\ndescription: d\ntimeline:\n  - wait: 3m\n');
  t.match(limit, /timeLimit: expected more than the 3m the timeline's waits add up to, got 2m/);
});

t.test('loadScenarioFile reads a real file and names a missing one', async (t) => {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'raft-chaos-scenario-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const file = path.join(directory, 'demo.yaml');
  await writeFile(file, minimal);
  t.equal((await loadScenarioFile(file)).file, file);
  await t.rejects(loadScenarioFile(path.join(directory, 'absent.yaml')), /absent\.yaml:1:1 cannot read the scenario: no such file/);
});
