import t from 'tap';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TestCluster, until } from './test-cluster.js';
import { encodeRecord } from '../../raft/storage/record-format.js';
import { writeAfterLastRecord } from '../raft-storage/segment-bytes.js';

async function caughtUp(cluster: TestCluster, node: string, index: number): Promise<void> {
  await until(`${node} to apply up to index ${index}`, 30_000, async () => {
    const status = await cluster.call(node, { op: 'status' }, 2000);
    return (status.lastApplied as number) >= index ? true : undefined;
  });
}

async function commitIndexOfLeader(cluster: TestCluster): Promise<number> {
  const leader = await cluster.waitForLeader();
  return (await cluster.call(leader, { op: 'status' })).commitIndex as number;
}

t.test('kill -9 of the leader and of a follower: the cluster keeps serving and the node catches up', async (t) => {
  const cluster = await TestCluster.create(t, 3);
  await cluster.startAll();
  await cluster.viaLeader({ op: 'put', key: 'a', value: '1' });

  const oldLeader = await cluster.waitForLeader();
  const exit = await cluster.signal(oldLeader, 'SIGKILL');
  t.equal(exit.signal, 'SIGKILL');
  const newLeader = await cluster.waitForLeader();
  t.not(newLeader, oldLeader, 'another node takes over');
  t.equal((await cluster.viaLeader({ op: 'put', key: 'b', value: '2' })).ok, true, 'writes go on without the old leader');
  t.equal((await cluster.viaLeader({ op: 'get', key: 'a' })).value, '1', 'the write acknowledged by the old leader survives');

  await cluster.start(oldLeader);
  await caughtUp(cluster, oldLeader, await commitIndexOfLeader(cluster));
  t.pass(`${oldLeader} restarted and caught up`);

  const leader = await cluster.waitForLeader();
  const follower = cluster.nodes.find((node) => node !== leader)!;
  await cluster.signal(follower, 'SIGKILL');
  t.equal((await cluster.viaLeader({ op: 'put', key: 'c', value: '3' })).ok, true, 'writes go on without a follower');
  await cluster.start(follower);
  await caughtUp(cluster, follower, await commitIndexOfLeader(cluster));
  t.pass(`${follower} restarted and caught up`);
  t.same(cluster.termsWithTwoLeaders(), []);
});

t.test('restarting every node loses no acknowledged write', async (t) => {
  const cluster = await TestCluster.create(t, 3);
  await cluster.startAll();
  const acknowledged = new Map<string, string>();
  for (let index = 0; index < 20; index += 1) {
    const reply = await cluster.viaLeader({ op: 'put', key: `key-${index % 7}`, value: `value-${index}` });
    if (reply.ok) acknowledged.set(`key-${index % 7}`, `value-${index}`);
  }
  for (const node of cluster.nodes) await cluster.signal(node, 'SIGKILL');
  await cluster.startAll();
  for (const [key, value] of acknowledged) {
    t.equal((await cluster.viaLeader({ op: 'get', key })).value, value, `${key} still reads ${value}`);
  }
  for (const node of cluster.nodes) {
    t.same(cluster.events(node, 'torn-tail-dropped'), [], `${node}: the zero-filled reserve after its records is a clean end, not a torn tail`);
  }
});

t.test('a torn record at the end of a node\'s log is dropped on restart', async (t) => {
  const cluster = await TestCluster.create(t, 3);
  await cluster.startAll();
  await cluster.viaLeader({ op: 'put', key: 'k', value: 'v' });
  const leader = await cluster.waitForLeader();
  const victim = cluster.nodes.find((node) => node !== leader)!;
  await cluster.signal(victim, 'SIGKILL');
  const walDirectory = join(cluster.dataDir(victim), 'wal');
  const segment = (await readdir(walDirectory)).filter((name) => name.endsWith('.log')).sort().at(-1)!;
  const record = encodeRecord({ t: 'append', entries: [{ index: 999, term: 1, command: { kind: 'noop' } }] });
  await writeAfterLastRecord(join(walDirectory, segment), record.subarray(0, record.length - 7));

  await cluster.start(victim);
  const dropped = cluster.events(victim, 'torn-tail-dropped');
  t.equal(dropped.length, 1, 'the torn tail is logged');
  t.match(dropped[0]?.file, segment);
  await caughtUp(cluster, victim, await commitIndexOfLeader(cluster));
  t.equal((await cluster.viaLeader({ op: 'get', key: 'k' })).value, 'v');
});

t.test('RAFT_BUG_FORGET_STATE really forgets; SIGTERM exits 0', async (t) => {
  const cluster = await TestCluster.create(t, 3);
  await cluster.startAll();
  await cluster.viaLeader({ op: 'put', key: 'k', value: 'v' });
  const leader = await cluster.waitForLeader();
  const node = cluster.nodes.find((name) => name !== leader)!;
  await caughtUp(cluster, node, await commitIndexOfLeader(cluster));

  const exit = await cluster.signal(node, 'SIGTERM');
  t.same(exit, { code: 0, signal: null }, 'a graceful stop exits 0');
  t.equal(cluster.events(node, 'stopped').length, 1, 'and logs that it stopped');

  await cluster.start(node);
  const kept = cluster.events(node, 'recovered').at(-1)!;
  t.ok((kept.entriesLoaded as number) > 0 && (kept.hardState as { term: number }).term > 0, 'without the bug mode a restart loads the log and the term');
  await cluster.signal(node, 'SIGTERM');

  await cluster.start(node, { RAFT_BUG_FORGET_STATE: 'true' });
  const forgot = cluster.events(node, 'recovered').at(-1)!;
  t.same(
    { forgot: forgot.forgotState, term: (forgot.hardState as { term: number }).term, entries: forgot.entriesLoaded, snapshot: forgot.snapshotIndex },
    { forgot: true, term: 0, entries: 0, snapshot: null },
    'with RAFT_BUG_FORGET_STATE the restarted node starts from empty state',
  );
});
