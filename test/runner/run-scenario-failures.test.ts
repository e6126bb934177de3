// How a run ends when it cannot run normally: a platform lacking a capability (exit 2, nothing
// started), a platform that cannot start the nodes (exit 3), and an interrupt (teardown, partial
// results, an unknown verdict).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Platform } from '../../harness/platform/platform.js';
import { runScenario } from '../../harness/runner/run-scenario.js';
import { makeRunDirs, processesOfRun, recordingLocalPlatform, runOptions, smallPlan } from './runner-test-kit.js';

t.test('a fault the platform cannot do is rejected before anything starts (exit 2)', async (t) => {
  const dirs = await makeRunDirs();
  t.teardown(dirs.remove);
  let started = false;
  // no-pause-platform: a platform double without the pause capability; starting it is a test failure.
  const platform: Platform = {
    name: 'docker',
    capabilities: new Set(['kill', 'cutLinks', 'readLogs']),
    start: async () => {
      started = true;
      throw new Error('must not start');
    },
    sweep: async () => [],
  };
  const plan = smallPlan('needs-pause', [{ type: 'fault', id: 'p', fault: 'pause', target: { kind: 'leader' }, source: 'x.yaml:4:5' }]);
  const result = await runScenario(plan, platform, runOptions(dirs.reportDir, plan.name));
  t.notOk(started);
  t.equal(result.error?.exitCode, 2);
  t.match(result.error?.message, /fault pause needs the pause capability, which the docker platform lacks/);
  t.same(result.verdicts, []);
});

t.test('a cluster that cannot start is a platform error (exit 3) with a next step', async (t) => {
  const dirs = await makeRunDirs();
  t.teardown(dirs.remove);
  const platform = recordingLocalPlatform(dirs.stateDir);
  const plan = smallPlan('no-server', [{ type: 'wait', durationMs: 100, source: 'x.yaml:2:3' }]);
  const result = await runScenario(plan, platform, runOptions(dirs.reportDir, plan.name, { serverCommand: 'exit 7' }));
  t.equal(result.error?.exitCode, 3);
  t.match(result.error?.message, /could not start the cluster/);
  t.match(result.error?.nextStep, /harness clean --platform local/);
  t.equal(result.valid, 'unknown', 'no verdict is claimed for a run that never started');
  t.same(await processesOfRun(platform.specs[0]!.runId), []);
});

t.test('an interrupt tears down, keeps the partial history and makes the verdict unknown', async (t) => {
  const dirs = await makeRunDirs();
  t.teardown(dirs.remove);
  const platform = recordingLocalPlatform(dirs.stateDir);
  t.teardown(async () => {
    for (const cluster of platform.clusters) await cluster.teardown();
  });
  const interrupt = new AbortController();
  const progress = (line: string) => {
    if (line.startsWith('fault long-pause')) setTimeout(() => interrupt.abort(), 500);
  };
  const plan = smallPlan('interrupted', [
    { type: 'wait', durationMs: 1000, source: 'x.yaml:2:3' },
    { type: 'fault', id: 'long-pause', fault: 'pause', target: { kind: 'random-follower' }, source: 'x.yaml:3:3' },
    { type: 'wait', durationMs: 120_000, source: 'x.yaml:5:3' },
  ]);
  const startedMs = performance.now();
  const result = await runScenario(plan, platform, runOptions(dirs.reportDir, plan.name, { progress, signal: interrupt.signal }));
  t.ok(performance.now() - startedMs < 60_000, 'the run ended long before its wait step would have');
  t.ok(result.verdicts.some((verdict) => verdict.check === 'completed' && verdict.valid === 'unknown'), 'the interrupt is an unknown verdict');
  t.not(result.valid, true, 'an interrupted run never passes');
  t.ok(existsSync(join(dirs.reportDir, result.files.history!)), 'the partial history is kept');
  t.same(await processesOfRun(platform.specs[0]!.runId), [], 'no node process of the run is left (the paused one included)');
});

t.test('a fault whose targets cannot be resolved makes the verdict unknown; healing it is a no-op', async (t) => {
  const dirs = await makeRunDirs();
  t.teardown(dirs.remove);
  const platform = recordingLocalPlatform(dirs.stateDir);
  t.teardown(async () => {
    for (const cluster of platform.clusters) await cluster.teardown();
  });
  const plan = smallPlan('unresolvable', [
    { type: 'fault', id: 'ghost', fault: 'kill', target: { kind: 'node', node: 'raft-9' }, source: 'x.yaml:2:3' },
    { type: 'heal', faultId: 'ghost', source: 'x.yaml:4:3' },
    { type: 'wait', durationMs: 500, source: 'x.yaml:5:3' },
  ]);
  const result = await runScenario(plan, platform, runOptions(dirs.reportDir, plan.name));
  t.equal(result.error, undefined, `no platform error (${result.error?.message})`);
  const fired = result.verdicts.find((verdict) => verdict.check === 'fault-fired');
  t.equal(fired?.valid, 'unknown');
  t.match(fired?.summary, /ghost could not fire.*raft-9 is not in the cluster/);
  t.equal(result.valid, 'unknown');
  t.same(await processesOfRun(platform.specs[0]!.runId), []);
});
