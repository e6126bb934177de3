// A known-bug mode of the reference server plus a fault that exposes it must give a false
// verdict: acknowledging writes before commit loses them when the leader is cut off.

import { join } from 'node:path';
import t from 'tap';
import { runScenario } from '../../harness/runner/run-scenario.js';
import { makeRunDirs, processesOfRun, recordingLocalPlatform, runOptions, smallPlan } from './runner-test-kit.js';

t.test('RAFT_BUG_ACK_BEFORE_COMMIT with the leader isolated: a check fails', async (t) => {
  const dirs = await makeRunDirs();
  t.teardown(dirs.remove);
  const platform = recordingLocalPlatform(dirs.stateDir);
  t.teardown(async () => {
    for (const cluster of platform.clusters) await cluster.teardown();
  });
  const plan = smallPlan(
    'ack-before-commit',
    [
      { type: 'wait-for-leader', timeoutMs: 15_000, source: 'test:1' },
      { type: 'wait', durationMs: 1000, source: 'test:2' },
      { type: 'fault', id: 'isolate-leader', fault: 'isolate', target: { kind: 'leader' }, source: 'test:3' },
      { type: 'wait', durationMs: 3000, source: 'test:4' },
      { type: 'heal', faultId: 'all', source: 'test:5' },
      { type: 'wait-for-healthy', timeoutMs: 15_000, source: 'test:6' },
      { type: 'wait', durationMs: 1000, source: 'test:7' },
    ],
    { cluster: { replicas: 3, serverEnv: { RAFT_BUG_ACK_BEFORE_COMMIT: 'true' }, restartDelayMs: 500 } },
  );
  const result = await runScenario(plan, platform, runOptions(dirs.reportDir, plan.name));
  t.comment(result.verdicts.map((verdict) => `${verdict.check}: ${verdict.valid} ${verdict.summary}`).join('\n'));
  t.equal(result.error, undefined, `no platform error (${result.error?.message})`);
  t.equal(result.valid, false, 'the composed verdict is false');
  const failed = result.verdicts.filter((verdict) => verdict.valid === false).map((verdict) => verdict.check);
  t.ok(failed.some((check) => check === 'linearizable' || check === 'no-lost-writes'), `a safety check failed (${failed.join(', ')})`);
  t.same(await processesOfRun(platform.specs[0]!.runId), [], 'no node process of the run is left');
});
