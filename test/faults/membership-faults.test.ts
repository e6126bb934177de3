// grow, shrink and replace against a real cluster of the reference server on the local platform:
// each changes the configuration (its evidence says so), every node agrees on it, and each heal
// restores the original size. The grown node is a node like any other: a kill reaches it.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createClientStatusProbe } from '../../harness/cluster-health/client-status-probe.js';
import { takeStatusSnapshot } from '../../harness/cluster-health/take-status-snapshot.js';
import { waitForHealthy } from '../../harness/cluster-health/wait-for-healthy.js';
import { waitForLeader } from '../../harness/cluster-health/wait-for-leader.js';
import { createLocalPlatform } from '../../harness/platforms/local/create-local-platform.js';
import { FaultDriver } from '../../harness/runner/fault-driver.js';
import { FaultTimeline } from '../../harness/runner/fault-timeline.js';
import { createRunClock } from '../../harness/runner/run-clock.js';
import { pollUntil } from '../../harness/shared/poll-until.js';
import { createSeededRandom } from '../../harness/shared/seeded-random.js';
import type { FaultStep } from '../../harness/scenario/plan.js';

const serverEnv = { RAFT_ELECTION_TIMEOUT_MS_MIN: '300', RAFT_ELECTION_TIMEOUT_MS_MAX: '600', RAFT_HEARTBEAT_MS: '50' };

t.test('grow, shrink and replace change the configuration, and heal restores the size', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'raft-chaos-membership-faults-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const spareNodes = ['raft-3', 'raft-4'];
  const cluster = await createLocalPlatform({ stateDir: join(root, 'state') }).start({
    runId: `membership-faults-${process.pid}`, nodes: ['raft-0', 'raft-1', 'raft-2'], spareNodes, serverEnv, workDir: join(root, 'work'), restartDelayMs: 300,
  });
  t.teardown(() => cluster.teardown());
  const status = createClientStatusProbe(() => Object.fromEntries(cluster.nodes.map((node) => [node, cluster.clientAddress(node)])), 1000);
  t.teardown(() => status.close());
  const progress = () => undefined;
  const driver = new FaultDriver({
    cluster, probe: status.probe, timeline: new FaultTimeline(join(root, 'timeline.jsonl')), clock: createRunClock(), random: createSeededRandom(3),
    restartDelayMs: 300, spareNodes, healTimeoutMs: 30_000, progress,
  });
  const step = (id: string, fault: FaultStep['fault'], target: FaultStep['target']): FaultStep => ({ type: 'fault', id, fault, target, source: `test:${id}` });
  const healthy = async (label: string) => t.match(await waitForHealthy({ nodes: cluster.nodes, probe: status.probe, timeoutMs: 30_000, progress }), { healthy: true }, `healthy after ${label}`);
  /** Every running node reports exactly these voters. */
  const agreed = async (voters: string[], label: string) => {
    const outcome = await pollUntil({
      what: `every node to report voters ${voters.join(', ')}`, timeoutMs: 30_000, intervalMs: 100, progressEveryMs: 60_000, progress,
      attempt: async () => {
        const snapshot = await takeStatusSnapshot(cluster.nodes, status.probe);
        const views = snapshot.answers.map((answer) => (answer.answered ? (answer.status.members ?? []).filter((member) => member.role === 'voter').map((member) => member.id).sort().join(',') : 'silent'));
        return { done: views.every((view) => view === [...voters].sort().join(',')), finding: views, describe: views.join(' | ') };
      },
    });
    t.ok(outcome.done, `${label}: every node agrees on voters ${voters.join(', ')}`);
  };

  t.match(await waitForLeader({ nodes: cluster.nodes, probe: status.probe, timeoutMs: 30_000, progress }), { found: true });

  const grown = await driver.fire(step('grow-1', 'grow', { kind: 'all' }));
  const growRecord = grown.fired ? grown.record : undefined;
  t.same(growRecord?.targets, ['raft-3'], 'grow launches the first spare; it is the target');
  t.match(growRecord?.startEvidence, { addedVoters: ['raft-3'], votersAfterAdd: ['raft-0', 'raft-1', 'raft-2', 'raft-3'] });
  const second = await driver.fire(step('grow-2', 'grow', { kind: 'all' }));
  t.same(second.fired ? second.record.targets : [], ['raft-4'], 'a second grow launches the next spare');
  await agreed(['raft-0', 'raft-1', 'raft-2', 'raft-3', 'raft-4'], 'grown to five');
  await driver.fire(step('kill-grown', 'kill', { kind: 'node', node: 'raft-4' }));
  await driver.heal('kill-grown');
  await healthy('a kill of a grown node');
  await driver.heal('grow-2');
  await driver.heal('grow-1');
  t.same(cluster.nodes, ['raft-0', 'raft-1', 'raft-2'], 'heal removes both grown nodes');
  t.match(growRecord?.healEvidence, { removedVoters: ['raft-3'], votersAfterRemove: ['raft-0', 'raft-1', 'raft-2'] });
  await agreed(['raft-0', 'raft-1', 'raft-2'], 'back to three');

  const shrunk = await driver.fire(step('shrink-leader', 'shrink', { kind: 'leader' }));
  const shrinkRecord = shrunk.fired ? shrunk.record : undefined;
  const removed = shrinkRecord?.targets[0] ?? '';
  t.notOk(cluster.nodes.includes(removed), `shrink removed the leader ${removed} from the platform`);
  t.notOk((shrinkRecord?.startEvidence.votersAfterRemove as string[]).includes(removed), 'and from the configuration');
  await agreed(['raft-0', 'raft-1', 'raft-2'].filter((node) => node !== removed), 'shrunk to two');
  await driver.heal('shrink-leader');
  t.ok(cluster.nodes.includes(removed), 'heal brings it back');
  await agreed(['raft-0', 'raft-1', 'raft-2'], 'after the shrink heal');
  await healthy('shrink');

  const replaced = await driver.fire(step('replace-follower', 'replace', { kind: 'random-follower' }));
  const replaceRecord = replaced.fired ? replaced.record : undefined;
  const target = replaceRecord?.targets[0] ?? '';
  t.not((replaceRecord?.startEvidence.instanceAfter as Record<string, string>)[target], (replaceRecord?.startEvidence.instanceBefore as Record<string, string>)[target], 'replace runs a new instance');
  t.match(replaceRecord?.startEvidence, { removedVoters: [target], addedVoters: [target] });
  await driver.heal('replace-follower');
  await agreed(['raft-0', 'raft-1', 'raft-2'], 'after replace');
  await healthy('replace');
  const both = await driver.fire(step('shrink-followers', 'shrink', { kind: 'followers' }));
  const bothRecord = both.fired ? both.record : undefined;
  t.equal(bothRecord?.targets.length, 2, 'shrink takes several targets');
  t.equal(cluster.nodes.length, 1, 'both were removed (two requests at once, made one after the other by the server)');
  t.same(bothRecord?.startEvidence.votersAfterRemove, cluster.nodes, 'the last acknowledgement names the one voter left');
  await driver.heal('shrink-followers');
  await agreed(['raft-0', 'raft-1', 'raft-2'], 'after both came back');
  await healthy('shrink of two');
  await t.rejects(driver.fire(step('shrink-all', 'shrink', { kind: 'all' })), /shrink: would remove 3 of the 3 nodes/, 'shrink refuses to remove every node');
  t.same(cluster.unexpectedExits(), [], 'no node crashed');
});
