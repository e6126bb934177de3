import t from 'tap';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEntry, Snapshot } from '../../raft/core/types.js';
import { NodeStorage } from '../../raft/storage/node-storage.js';
import { readRecordFile, writeRecordFile } from '../../raft/storage/record-file.js';

const options = { fsync: true, forgetState: false };

async function temporaryDirectory(t: { teardown(callback: () => unknown): void }): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'raft-storage-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

function entry(index: number, term: number): LogEntry {
  return { index, term, command: { kind: 'put', key: 'k', value: String(index) } };
}

t.test('hard state, entries and snapshot survive a reopen', async (t) => {
  const directory = await temporaryDirectory(t);
  const { storage } = await NodeStorage.open(directory, options);
  const snapshot: Snapshot = { lastIncludedIndex: 2, lastIncludedTerm: 1, data: { kv: { k: '2' }, sessions: {} } };
  await storage.persist([
    { type: 'persistState', state: { term: 3, votedFor: 'raft-2' } },
    { type: 'appendEntries', entries: [entry(1, 1), entry(2, 1), entry(3, 3)] },
    { type: 'saveSnapshot', snapshot },
    { type: 'appendEntries', entries: [entry(4, 3)] },
  ]);
  await storage.close();
  const { storage: reopened, recovered, report } = await NodeStorage.open(directory, options);
  t.same(recovered.hardState, { term: 3, votedFor: 'raft-2' });
  t.same(recovered.snapshot, snapshot);
  t.same(recovered.entries.map((item) => item.index), [3, 4], 'entries covered by the snapshot are gone');
  t.equal(report.lastIndex, 4);
  await reopened.close();
});

t.test('hard state is replaced atomically: a leftover temp file never wins', async (t) => {
  const directory = await temporaryDirectory(t);
  const path = join(directory, 'hard-state.rec');
  await writeRecordFile(path, { term: 1, votedFor: null }, { fsync: true });
  await writeFile(join(directory, '.hard-state.rec.tmp'), 'half a write');
  await writeRecordFile(path, { term: 2, votedFor: 'raft-0' }, { fsync: true });
  t.same(await readRecordFile(path), { term: 2, votedFor: 'raft-0' });
  t.same((await readdir(directory)).sort(), ['hard-state.rec'], 'no temp file is left behind');
});

t.test('a damaged hard state file is refused, not reset', async (t) => {
  const directory = await temporaryDirectory(t);
  const path = join(directory, 'hard-state.rec');
  await writeRecordFile(path, { term: 5, votedFor: 'raft-1' }, { fsync: true });
  const bytes = await readFile(path);
  bytes[bytes.length - 3] ^= 0x01;
  await writeFile(path, bytes);
  await t.rejects(NodeStorage.open(directory, options), /hard-state\.rec: corrupt record at byte offset 0/);
});

t.test('a hard state file with zeros after its record is refused: only a log segment has a zero-filled reserve', async (t) => {
  const directory = await temporaryDirectory(t);
  const path = join(directory, 'hard-state.rec');
  await writeRecordFile(path, { term: 5, votedFor: 'raft-1' }, { fsync: true });
  const bytes = await readFile(path);
  await writeFile(path, Buffer.concat([bytes, Buffer.alloc(4096)]));
  await t.rejects(NodeStorage.open(directory, options), new RegExp(`hard-state\\.rec: corrupt record at byte offset ${bytes.length}: 4096 zero bytes follow the record`));
});

t.test('forgetState erases what was persisted', async (t) => {
  const directory = await temporaryDirectory(t);
  const { storage } = await NodeStorage.open(directory, options);
  await storage.persist([
    { type: 'persistState', state: { term: 9, votedFor: 'raft-0' } },
    { type: 'appendEntries', entries: [entry(1, 9)] },
  ]);
  await storage.close();
  const { storage: forgetful, recovered, report } = await NodeStorage.open(directory, { fsync: true, forgetState: true });
  t.same(recovered, { hardState: { term: 0, votedFor: null }, snapshot: null, entries: [] });
  t.equal(report.forgotState, true);
  await forgetful.close();
});
