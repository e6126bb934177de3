// The power-loss fault against a real three-node cluster of the reference server on loop disks:
// the correct server keeps every acknowledged write through a whole-cluster power cut, the
// RAFT_BUG_NO_FSYNC bug mode loses them, and the evidence shows the bytes the disks kept.
// Needs root and loop devices; skipped elsewhere with the reason.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { RaftClient } from '../../raft/client/raft-client.js';
import { createClientStatusProbe } from '../../harness/cluster-health/client-status-probe.js';
import { waitForHealthy } from '../../harness/cluster-health/wait-for-healthy.js';
import { waitForLeader } from '../../harness/cluster-health/wait-for-leader.js';
import { createLocalPlatform } from '../../harness/platforms/local/create-local-platform.js';
import { loopDisksUnavailableReason } from '../../harness/platforms/local/loop-disk-support.js';
import { FaultDriver } from '../../harness/runner/fault-driver.js';
import { FaultTimeline } from '../../harness/runner/fault-timeline.js';
import { createRunClock } from '../../harness/runner/run-clock.js';
import { createSeededRandom } from '../../harness/shared/seeded-random.js';
import type { FaultRecord } from '../../harness/runner/fault-timeline.js';

const unavailable = loopDisksUnavailableReason();
const skip = unavailable === undefined ? false : `loop disks are unavailable here: ${unavailable}`;
const nodes = ['raft-0', 'raft-1', 'raft-2'];
const writes = 20;

interface PowerCut {
  record: FaultRecord;
  /** What `get` returned for each key written before the cut. */
  readsAfter: (string | null | undefined)[];
}

/** Writes `writes` keys, cuts the power of the whole cluster, waits for health, reads them back. */
async function cutPowerAfterWrites(t: Test, serverEnv: Record<string, string>): Promise<PowerCut> {
  const root = await mkdtemp(join(tmpdir(), 'raft-chaos-power-loss-test-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const platform = createLocalPlatform({ stateDir: join(root, 'state') });
  const cluster = await platform.start({ runId: `power-loss-test-${process.pid}-${t.name.length}`, nodes, serverEnv, workDir: join(root, 'work'), restartDelayMs: 200, powerLossDisks: true });
  t.teardown(() => cluster.teardown());
  const status = createClientStatusProbe(() => Object.fromEntries(nodes.map((node) => [node, cluster.clientAddress(node)])), 1000);
  t.teardown(() => status.close());
  const progress = () => undefined;
  const waits = { nodes, probe: status.probe, timeoutMs: 20_000, progress };
  t.match(await waitForLeader(waits), { found: true }, 'a leader is elected');
  const client = () => new RaftClient({ addresses: Object.fromEntries(nodes.map((node) => [node, cluster.clientAddress(node)])), requestTimeoutMs: 2000 });
  const before = client();
  for (let index = 0; index < writes; index += 1) t.ok((await before.put(`k${index}`, `v${index}`)).ok, `write k${index} acknowledged`);
  before.close();

  const driver = new FaultDriver({ cluster, probe: status.probe, timeline: new FaultTimeline(join(root, 'timeline.jsonl')), clock: createRunClock(), random: createSeededRandom(9), restartDelayMs: 200, healTimeoutMs: 30_000, progress });
  const fired = await driver.fire({ type: 'fault', id: 'power-cut', fault: 'power-loss', target: { kind: 'all' }, source: 'test:power-cut' });
  if (!fired.fired) throw new Error(`the power cut did not fire: ${fired.reason}`);
  await driver.heal('power-cut');
  t.match(await waitForHealthy(waits), { healthy: true }, 'healthy after the power cut');
  const after = client();
  t.teardown(() => after.close());
  const readsAfter: (string | null | undefined)[] = [];
  for (let index = 0; index < writes; index += 1) {
    const read = await after.get(`k${index}`);
    readsAfter.push(read.ok ? read.value : undefined);
  }
  return { record: fired.record, readsAfter };
}

function bytes(record: FaultRecord, field: 'dataBytesBefore' | 'dataBytesAfter'): number[] {
  return nodes.map((node) => (record.startEvidence[field] as Record<string, number>)[node] ?? -1);
}

t.test('the correct server keeps every acknowledged write through a whole-cluster power cut', { skip }, async (t) => {
  const { record, readsAfter } = await cutPowerAfterWrites(t, {});
  t.same(readsAfter, Array.from({ length: writes }, (_, index) => `v${index}`), 'every write is read back');
  t.ok(bytes(record, 'dataBytesBefore').every((count) => count > 0), 'each node had data before the cut');
  t.same(bytes(record, 'dataBytesAfter'), bytes(record, 'dataBytesBefore'), 'the disks kept every byte (all of it was fsynced)');
  const instances = (field: 'instanceBefore' | 'instanceAfter', evidence: Record<string, unknown> | undefined) => evidence?.[field] as Record<string, string>;
  for (const node of nodes) {
    t.not(instances('instanceAfter', record.healEvidence)[node], instances('instanceBefore', record.startEvidence)[node], `${node} is a new instance`);
  }
});

t.test('RAFT_BUG_NO_FSYNC loses the acknowledged writes', { skip }, async (t) => {
  const { record, readsAfter } = await cutPowerAfterWrites(t, { RAFT_BUG_NO_FSYNC: 'true' });
  t.ok(bytes(record, 'dataBytesBefore').every((count) => count > 0), 'each node had data before the cut');
  t.same(bytes(record, 'dataBytesAfter'), [0, 0, 0], 'no disk kept anything');
  t.same(readsAfter, Array.from({ length: writes }, () => null), 'every acknowledged write is gone');
});
