// How a run ends when it cannot run normally: a platform lacking a capability (exit 2, nothing
// started), a platform that cannot start the nodes (exit 3), and an interrupt (teardown, partial
// results, an unknown verdict).

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import type { Platform, StartedCluster } from '../../harness/platform/platform.js';
import { scenarioExitCode } from '../../harness/report/exit-code.js';
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
  const result = await runScenario(plan, platform, runOptions(dirs.reportDir, plan.name, { serverCommand: 'echo no config here; exit 7' }));
  t.equal(result.error?.exitCode, 3);
  t.match(result.error?.message, /could not start the cluster/);
  t.match(result.error?.message, /exited before listening \(exit code 7\)/, "the server's exit status is named");
  const scenarioLogs = join(dirs.reportDir, plan.name, 'logs');
  t.match(result.error?.message, `full log: ${join(scenarioLogs, 'raft-0.log')}`, 'the message points at the log kept in the report');
  t.same(result.files.logs, ['raft-0.log', 'raft-1.log', 'raft-2.log'].map((name) => join(plan.name, 'logs', name)));
  t.match(await readFile(join(scenarioLogs, 'raft-0.log'), 'utf8'), /no config here/, 'the log survives teardown in the report');
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

t.test('a heal and a teardown that throw: every verdict is kept, and the error is a platform error (exit 3)', async (t) => {
  const dirs = await makeRunDirs();
  t.teardown(dirs.remove);
  const local = recordingLocalPlatform(dirs.stateDir);
  const platform: Platform = {
    ...local,
    async start(spec) {
      const cluster = await local.start(spec);
      // A platform whose heal of the pause and whose teardown fail, as a lost Docker daemon would.
      const failing: StartedCluster = Object.create(cluster) as StartedCluster;
      failing.resume = async () => {
        throw new Error('resume refused by the platform under test');
      };
      failing.teardown = async () => {
        await cluster.teardown();
        throw new Error('teardown refused by the platform under test');
      };
      return failing;
    },
  };
  t.teardown(async () => {
    for (const cluster of local.clusters) await cluster.teardown();
  });
  const plan = smallPlan('failing-heal', [
    { type: 'wait', durationMs: 500, source: 'x.yaml:2:3' },
    { type: 'fault', id: 'stuck', fault: 'pause', target: { kind: 'random-follower' }, source: 'x.yaml:3:3' },
    { type: 'wait', durationMs: 500, source: 'x.yaml:4:3' },
  ]);
  const result = await runScenario(plan, platform, runOptions(dirs.reportDir, plan.name));
  t.equal(result.error?.exitCode, 3, 'a platform error');
  t.match(result.error?.message, /could not be reverted: .*resume refused/);
  t.match(result.error?.message, /teardown failed: teardown refused/);
  t.ok(result.verdicts.some((verdict) => verdict.check === 'linearizable'), 'the history was still checked');
  t.ok(result.verdicts.length >= 3, `the verdicts are kept (${result.verdicts.map((verdict) => verdict.check).join(', ')})`);
  t.equal(scenarioExitCode(result), 3, 'exit 3, as SPEC section 4 says, unless a check failed');
  t.same(await processesOfRun(local.specs[0]!.runId), []);
});
