// End to end on the local platform with the reference server: kill the leader under load.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runScenario } from '../../harness/runner/run-scenario.js';
import { makeRunDirs, processesOfRun, recordingLocalPlatform, runOptions, smallPlan } from './runner-test-kit.js';

t.test('kill-leader: history written, every verdict true, no process left', async (t) => {
  const dirs = await makeRunDirs();
  t.teardown(dirs.remove);
  const platform = recordingLocalPlatform(dirs.stateDir);
  t.teardown(async () => {
    for (const cluster of platform.clusters) await cluster.teardown();
  });
  const progress: string[] = [];
  const plan = smallPlan('kill-leader', [
    { type: 'wait-for-leader', timeoutMs: 15_000, source: 'test:1' },
    { type: 'wait', durationMs: 1500, source: 'test:2' },
    { type: 'fault', id: 'kill-leader-1', fault: 'kill', target: { kind: 'leader' }, source: 'test:3' },
    { type: 'wait', durationMs: 2000, source: 'test:4' },
    { type: 'heal', faultId: 'all', source: 'test:5' },
    { type: 'wait-for-healthy', timeoutMs: 15_000, source: 'test:6' },
    { type: 'wait', durationMs: 1000, source: 'test:7' },
  ]);
  const scenarioDir = join(dirs.reportDir, plan.name);
  const result = await runScenario(plan, platform, runOptions(dirs.reportDir, plan.name, { progress: (line) => progress.push(line) }));
  t.comment(result.verdicts.map((verdict) => `${verdict.check}: ${verdict.valid} ${verdict.summary}`).join('\n'));
  t.equal(result.error, undefined, `no platform error (${result.error?.message})`);
  t.equal(result.valid, true, 'every verdict is true');
  for (const check of ['linearizable', 'no-lost-writes', 'fault-took-effect', 'healthy-after-heal']) {
    t.ok(result.verdicts.some((verdict) => verdict.check === check && verdict.valid === true), `${check} ran and passed`);
  }
  t.equal(result.files.history, 'kill-leader/history.jsonl');
  const history = readFileSync(join(dirs.reportDir, result.files.history!), 'utf8').trim().split('\n');
  t.ok(history.length > 40, `the history has ${history.length} events`);
  t.ok(result.operations.ok > 20, `${result.operations.ok} operations ok`);
  const timeline = readFileSync(join(dirs.reportDir, result.files.timeline!), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const start = timeline.find((line) => line.event === 'fault-start');
  const heal = timeline.find((line) => line.event === 'fault-heal');
  t.equal(start?.fault, 'kill');
  t.ok(start?.evidence.instanceBefore, 'the kill recorded the instance before');
  t.not(Object.values(heal?.evidence.instanceAfter ?? {})[0], Object.values(start?.evidence.instanceBefore ?? {})[0], 'the killed node came back as a new instance');
  t.equal(result.files.logs.length, 3, 'every node log was collected');
  for (const log of result.files.logs) t.ok(existsSync(join(dirs.reportDir, log)), `${log} exists`);
  t.same(await processesOfRun(platform.specs[0]!.runId), [], 'no node process of the run is left');
  t.ok(progress.some((line) => line.includes('fault kill-leader-1')), 'progress names the fault');
});
