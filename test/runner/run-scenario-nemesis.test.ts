// The random nemesis and a rolling restart, end to end on the local platform.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runScenario } from '../../harness/runner/run-scenario.js';
import { makeRunDirs, processesOfRun, recordingLocalPlatform, runOptions, smallPlan } from './runner-test-kit.js';

t.test('random nemesis then a rolling restart: faults fired and healed, verdicts true', async (t) => {
  const dirs = await makeRunDirs();
  t.teardown(dirs.remove);
  const platform = recordingLocalPlatform(dirs.stateDir);
  t.teardown(async () => {
    for (const cluster of platform.clusters) await cluster.teardown();
  });
  const plan = smallPlan('nemesis', [
    { type: 'wait-for-leader', timeoutMs: 15_000, source: 'test:1' },
    { type: 'nemesis', durationMs: 7000, faults: ['kill', 'pause', 'partition', 'isolate'], intervalMs: 800, holdMs: 1200, source: 'test:2' },
    { type: 'wait-for-healthy', timeoutMs: 15_000, source: 'test:3' },
    { type: 'restart', target: { kind: 'all' }, rolling: true, source: 'test:4' },
    { type: 'wait', durationMs: 500, source: 'test:5' },
  ]);
  const result = await runScenario(plan, platform, runOptions(dirs.reportDir, plan.name));
  t.comment(result.verdicts.map((verdict) => `${verdict.check}: ${verdict.valid} ${verdict.summary}`).join('\n'));
  t.equal(result.error, undefined, `no platform error (${result.error?.message})`);
  t.not(result.valid, false, 'no check failed');
  for (const check of ['linearizable', 'no-lost-writes', 'healthy-after-heal', 'fault-took-effect']) {
    t.ok(result.verdicts.some((verdict) => verdict.check === check && verdict.valid === true), `${check} ran and passed`);
  }
  const timeline = readFileSync(join(dirs.reportDir, result.files.timeline!), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const starts = timeline.filter((line) => line.event === 'fault-start');
  const heals = timeline.filter((line) => line.event === 'fault-heal');
  const nemesisFaults = starts.filter((line) => String(line.id).startsWith('nemesis-'));
  t.ok(nemesisFaults.length >= 2, `the nemesis fired ${nemesisFaults.length} faults`);
  t.same(heals.map((line) => line.id).sort(), starts.map((line) => line.id).sort(), 'every fault started was healed');
  t.ok(heals.every((line) => line.error === undefined), 'every heal succeeded');
  const restarts = starts.filter((line) => String(line.id).startsWith('restart-'));
  t.same(restarts.map((line) => line.targets.length), [1, 1, 1], 'the rolling restart took one node at a time');
  t.same(await processesOfRun(platform.specs[0]!.runId), [], 'no node process of the run is left');
});
