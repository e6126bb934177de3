// Every fault kind against a real three-node cluster of the reference server on the local
// platform: the fault takes effect (its evidence says so), and after heal the cluster recovers.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { RaftClient } from '../../raft/client/raft-client.js';
import { createClientStatusProbe } from '../../harness/cluster-health/client-status-probe.js';
import { highestTerm } from '../../harness/faults/fault.js';
import { pollUntil } from '../../harness/shared/poll-until.js';
import { takeStatusSnapshot } from '../../harness/cluster-health/take-status-snapshot.js';
import { waitForHealthy } from '../../harness/cluster-health/wait-for-healthy.js';
import { waitForLeader } from '../../harness/cluster-health/wait-for-leader.js';
import { createLocalPlatform } from '../../harness/platforms/local/create-local-platform.js';
import { FaultDriver } from '../../harness/runner/fault-driver.js';
import { FaultTimeline } from '../../harness/runner/fault-timeline.js';
import { createRunClock } from '../../harness/runner/run-clock.js';
import { createSeededRandom } from '../../harness/shared/seeded-random.js';
import type { FaultStep } from '../../harness/scenario/plan.js';

// The slow-links step delays each leader link by this much one way. Timeouts fit for it (etcd's
// rule: election timeout at least ten round trips): a delayed heartbeat never elects anew, so
// one write over the slowed links succeeds however busy the machine is.
const linkDelayMs = 80;
const roundTripMs = 2 * linkDelayMs;
const serverEnv = {
  RAFT_HEARTBEAT_MS: String(roundTripMs / 2),
  RAFT_ELECTION_TIMEOUT_MS_MIN: String(10 * roundTripMs),
  RAFT_ELECTION_TIMEOUT_MS_MAX: String(20 * roundTripMs),
};

t.test('each fault takes effect and heals', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'raft-chaos-faults-test-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const platform = createLocalPlatform({ stateDir: join(root, 'state') });
  const nodes = ['raft-0', 'raft-1', 'raft-2'];
  const cluster = await platform.start({ runId: `faults-test-${process.pid}`, nodes, serverEnv, workDir: join(root, 'work'), restartDelayMs: 300 });
  t.teardown(() => cluster.teardown());
  const addresses = Object.fromEntries(nodes.map((node) => [node, cluster.clientAddress(node)]));
  const status = createClientStatusProbe(() => Object.fromEntries(nodes.map((node) => [node, cluster.clientAddress(node)])), 1000);
  t.teardown(() => status.close());
  const client = new RaftClient({ addresses, requestTimeoutMs: 2000 });
  t.teardown(() => client.close());
  const clock = createRunClock();
  const timeline = new FaultTimeline(join(root, 'timeline.jsonl'));
  const progress = () => undefined;
  const driver = new FaultDriver({ cluster, probe: status.probe, timeline, clock, random: createSeededRandom(5), restartDelayMs: 300, healTimeoutMs: 30_000, progress });
  const waits = { nodes, probe: status.probe, timeoutMs: 20_000, progress };
  const step = (id: string, fault: FaultStep['fault'], target: FaultStep['target'], extra: Partial<FaultStep> = {}): FaultStep => ({ type: 'fault', id, fault, target, source: `test:${id}`, ...extra });
  const healthy = async (label: string) => t.match(await waitForHealthy(waits), { healthy: true }, `healthy after ${label}`);

  t.match(await waitForLeader(waits), { found: true }, 'a leader is elected');

  const paused = await driver.fire(step('pause-leader', 'pause', { kind: 'leader' }));
  t.ok(paused.fired);
  const pauseRecord = paused.fired ? paused.record : undefined;
  t.same(pauseRecord?.startEvidence.answeredWhilePaused, [], 'the paused leader answers nothing');
  t.type(pauseRecord?.startEvidence.termBefore, 'number', 'pausing the leader records the term before');
  await driver.heal('pause-leader');
  t.ok((pauseRecord?.healEvidence?.termAfter as number) > (pauseRecord?.startEvidence.termBefore as number), 'a new term began while the leader was paused');
  await healthy('pause');

  const stopped = await driver.fire(step('stop-follower', 'stop', { kind: 'random-follower' }));
  const stopRecord = stopped.fired ? stopped.record : undefined;
  t.same(stopRecord?.startEvidence.answeredWhileStopped, [], 'the stopped follower answers nothing');
  t.equal(stopRecord?.startEvidence.termBefore, undefined, 'stopping a follower expects no election');
  await driver.heal('stop-follower');
  t.ok(stopRecord?.healEvidence?.instanceAfter, 'the stopped node answers again after heal');
  await healthy('stop');

  const partitioned = await driver.fire(step('partition-minority', 'partition', { kind: 'minority' }));
  const partitionRecord = partitioned.fired ? partitioned.record : undefined;
  t.equal((partitionRecord?.startEvidence.linksCut as string[]).length, 4, 'one node cut from two, both ways');
  await driver.heal('partition-minority');
  t.ok((partitionRecord?.healEvidence?.termAfter as number) > (partitionRecord?.startEvidence.termBefore as number), 'the majority elected a new leader');
  await healthy('partition');

  await driver.fire(step('slow-leader', 'slow-links', { kind: 'leader' }, { parameters: { delayMs: linkDelayMs, jitterMs: 0 } }));
  const startedMs = performance.now();
  const write = await client.put('slow', 'v1');
  const writeMs = performance.now() - startedMs;
  t.ok(write.ok, `a write succeeds on slow links: ${JSON.stringify(write)}`);
  t.ok(writeMs >= linkDelayMs, `a write needs a round trip over the slowed links (${Math.round(writeMs)} ms)`);
  await driver.heal('slow-leader');
  await healthy('slow-links');

  const termBeforeLoss = highestTerm(await takeStatusSnapshot(nodes, status.probe));
  await driver.fire(step('lossy-leader', 'lossy-links', { kind: 'leader' }, { parameters: { dropRate: 1 } }));
  const newTerm = await pollUntil({
    what: 'a new term',
    timeoutMs: 20_000,
    intervalMs: 100,
    progressEveryMs: 60_000,
    progress,
    attempt: async () => {
      const term = highestTerm(await takeStatusSnapshot(nodes, status.probe));
      return { done: term > termBeforeLoss, finding: term, describe: `term ${term}` };
    },
  });
  t.ok(newTerm.done, `dropping all of the leader traffic forces an election (term ${termBeforeLoss} -> ${newTerm.finding})`);
  await driver.heal('lossy-leader');
  await healthy('lossy-links');

  const killed = await driver.fire(step('kill-any', 'kill', { kind: 'random-node' }));
  const killRecord = killed.fired ? killed.record : undefined;
  await driver.heal('kill-any');
  const [node] = killRecord?.targets ?? [];
  t.not((killRecord?.healEvidence?.instanceAfter as Record<string, string>)[node!], (killRecord?.startEvidence.instanceBefore as Record<string, string>)[node!], 'the killed node is a new instance');
  await healthy('kill');
  t.same(await driver.healAll(), [], 'nothing left to heal');
});
