import t from 'tap';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TestCluster, until } from './test-cluster.js';
import { recordBytesOf } from '../raft-storage/segment-bytes.js';

/** Bytes of records in the log's segments (not counting each segment's zero-filled reserve). */
async function walBytes(directory: string): Promise<number> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.log'));
  const sizes = await Promise.all(names.map((name) => recordBytesOf(join(directory, name))));
  return sizes.reduce((sum, size) => sum + size, 0);
}

t.test('snapshots compact the log on disk, and a node that fell behind catches up from one', async (t) => {
  const cluster = await TestCluster.create(t, 3, { RAFT_SNAPSHOT_THRESHOLD: '20' });
  await cluster.startAll();
  const leader = await cluster.waitForLeader();
  const laggard = cluster.nodes.find((node) => node !== leader)!;
  await cluster.signal(laggard, 'SIGKILL');

  const value = 'x'.repeat(200);
  for (let index = 0; index < 120; index += 1) await cluster.viaLeader({ op: 'put', key: `key-${index % 10}`, value: `${value}-${index}` });
  const currentLeader = await cluster.waitForLeader();
  await until('the leader to log a snapshot', 30_000, async () => (cluster.events(currentLeader, 'snapshot-saved').length > 0 ? true : undefined));
  const bytes = await walBytes(join(cluster.dataDir(currentLeader), 'wal'));
  t.ok(bytes < 60 * 260, `the leader's log holds ${bytes} bytes, far less than the ~120 x 260 bytes written`);

  await cluster.start(laggard);
  const commitIndex = (await cluster.call(currentLeader, { op: 'status' })).commitIndex as number;
  await until(`${laggard} to catch up to ${commitIndex}`, 30_000, async () => {
    const status = await cluster.call(laggard, { op: 'status' }, 2000);
    return (status.lastApplied as number) >= commitIndex ? true : undefined;
  });
  t.ok(cluster.events(laggard, 'snapshot-installed').length > 0, `${laggard} installed the leader's snapshot (the entries it lacked were compacted away)`);
  t.ok(cluster.events(laggard, 'snapshot-saved').length > 0, `${laggard} stored it on disk`);

  await cluster.signal(laggard, 'SIGKILL');
  await cluster.start(laggard);
  const recovered = cluster.events(laggard, 'recovered').at(-1)!;
  t.ok((recovered.snapshotIndex as number) > 0, `after a restart ${laggard} recovers from its snapshot at ${recovered.snapshotIndex}`);
  t.equal((await cluster.viaLeader({ op: 'get', key: 'key-9' })).value, `${value}-119`);
});
