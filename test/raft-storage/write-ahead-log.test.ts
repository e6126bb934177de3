import t from 'tap';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEntry } from '../../raft/core/types.js';
import { WriteAheadLog } from '../../raft/storage/write-ahead-log.js';
import { encodeRecord } from '../../raft/storage/record-format.js';

const durable = { fsync: true };

function entries(from: number, to: number, term: number): LogEntry[] {
  const list: LogEntry[] = [];
  for (let index = from; index <= to; index += 1) list.push({ index, term, command: { kind: 'put', key: `k${index}`, value: `v${index}` } });
  return list;
}

async function temporaryDirectory(t: { teardown(callback: () => unknown): void }): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'raft-wal-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

async function onlySegment(directory: string): Promise<string> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.log'));
  if (names.length !== 1) throw new Error(`expected one segment, found ${names.join(', ')}`);
  return join(directory, names[0]!);
}

t.test('round trip: appends, overwrites and truncations survive a reopen', async (t) => {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(directory, durable);
  log.append(entries(1, 5, 1));
  log.flush();
  log.append(entries(4, 6, 2));
  log.truncate(6);
  log.append(entries(6, 7, 3));
  await log.close();
  const { log: reopened, recovery } = await WriteAheadLog.open(directory, durable);
  t.same(reopened.state.entries.map((entry) => [entry.index, entry.term]), [[1, 1], [2, 1], [3, 1], [4, 2], [5, 2], [6, 3], [7, 3]]);
  t.equal(recovery.tornTail, null);
  await reopened.close();
});

t.test('group commit: one flush writes a whole batch with one write', async (t) => {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(directory, durable);
  const segment = await onlySegment(directory);
  const before = (await stat(segment)).size;
  for (let index = 1; index <= 100; index += 1) log.append(entries(index, index, 1));
  t.equal((await stat(segment)).size, before, 'nothing reaches the file before flush');
  log.flush();
  t.ok((await stat(segment)).size > before, 'the batch is on disk after one flush');
  await log.close();
  const { log: reopened } = await WriteAheadLog.open(directory, durable);
  t.equal(reopened.state.entries.length, 100);
  await reopened.close();
});

t.test('a torn last record is dropped and the file truncated there', async (t) => {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(directory, durable);
  log.append(entries(1, 3, 1));
  await log.close();
  const segment = await onlySegment(directory);
  const whole = encodeRecord({ t: 'append', entries: entries(4, 4, 1) });
  await appendFile(segment, whole.subarray(0, whole.length - 5));
  const { log: reopened, recovery } = await WriteAheadLog.open(directory, durable);
  t.equal(reopened.state.entries.length, 3, 'entries before the torn record are kept');
  t.ok(recovery.tornTail, 'the torn tail is reported');
  t.match(recovery.tornTail?.reason, /cut short/);
  t.equal(recovery.tornTail?.file, segment);
  await reopened.close();
});

t.test('a bad checksum on the very last record counts as torn', async (t) => {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(directory, durable);
  log.append(entries(1, 2, 1));
  await log.close();
  const segment = await onlySegment(directory);
  const record = encodeRecord({ t: 'append', entries: entries(3, 3, 1) });
  record[record.length - 2] ^= 0xff;
  await appendFile(segment, record);
  const { log: reopened, recovery } = await WriteAheadLog.open(directory, durable);
  t.equal(reopened.state.entries.length, 2);
  t.match(recovery.tornTail?.reason, /CRC32 mismatch/);
  await reopened.close();
});

t.test('a corrupt record in the middle is refused with the file and offset', async (t) => {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(directory, durable);
  log.append(entries(1, 1, 1));
  log.flush();
  log.append(entries(2, 2, 1));
  log.flush();
  log.append(entries(3, 3, 1));
  await log.close();
  const segment = await onlySegment(directory);
  const bytes = await readFile(segment);
  const secondAppend = bytes.indexOf('"k2"');
  bytes[secondAppend + 1] = 'X'.charCodeAt(0);
  await writeFile(segment, bytes);
  const opened = WriteAheadLog.open(directory, durable);
  await t.rejects(opened, { name: 'CorruptRecordError' });
  const error = await opened.catch((caught: Error) => caught);
  t.match((error as Error).message, segment);
  t.match((error as Error).message, /byte offset \d+/);
  t.match((error as Error).message, /restore|remove/);
  t.same(await readFile(segment), bytes, 'the file is left as it was');
});

t.test('compaction removes covered entries from disk and survives a reopen', async (t) => {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(directory, durable);
  log.append(entries(1, 1000, 1));
  log.flush();
  const sizeBefore = (await stat(await onlySegment(directory))).size;
  await log.compact(990, 1);
  t.same(log.state.entries.map((entry) => entry.index), [991, 992, 993, 994, 995, 996, 997, 998, 999, 1000]);
  log.append(entries(1001, 1001, 2));
  await log.close();
  const sizeAfter = (await stat(await onlySegment(directory))).size;
  t.ok(sizeAfter < sizeBefore / 10, `segment shrank from ${sizeBefore} to ${sizeAfter} bytes`);
  const { log: reopened } = await WriteAheadLog.open(directory, durable);
  t.equal(reopened.state.baseIndex, 990);
  t.same(reopened.state.entries.map((entry) => entry.index), [991, 992, 993, 994, 995, 996, 997, 998, 999, 1000, 1001]);
  await reopened.close();
});

t.test('compaction to a snapshot that disagrees with the log drops the whole log', async (t) => {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(directory, durable);
  log.append(entries(1, 10, 1));
  await log.compact(5, 2);
  t.equal(log.state.entries.length, 0);
  t.equal(log.state.baseIndex, 5);
  await log.close();
});

t.test('a zero-filled tail (the file grew but the data never landed) counts as torn', async (t) => {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(directory, durable);
  log.append(entries(1, 2, 1));
  await log.close();
  const segment = await onlySegment(directory);
  await appendFile(segment, Buffer.alloc(4096));
  const { log: reopened, recovery } = await WriteAheadLog.open(directory, durable);
  t.equal(reopened.state.entries.length, 2);
  t.equal(recovery.tornTail?.droppedBytes, 4096);
  await reopened.close();
});

t.test('flush is synchronous: every queued record is in the file when it returns, and the log stays whole', async (t) => {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(directory, durable);
  const segment = await onlySegment(directory);
  const sizeBefore = (await stat(segment)).size;
  log.append(entries(1, 2, 1));
  log.append(entries(3, 4, 1));
  const returned = log.flush();
  t.equal(returned, undefined, 'synchronous: nothing to await');
  const sizeAfter = (await stat(segment)).size;
  t.equal(sizeAfter - sizeBefore, encodeRecord({ t: 'append', entries: entries(1, 2, 1) }).length + encodeRecord({ t: 'append', entries: entries(3, 4, 1) }).length, 'both records written by the time flush returned');
  log.flush();
  t.equal((await stat(segment)).size, sizeAfter, 'a flush with nothing queued writes nothing');
  await log.close();
  const { log: reopened } = await WriteAheadLog.open(directory, durable);
  t.same(reopened.state.entries.map((entry) => entry.index), [1, 2, 3, 4]);
  await reopened.close();
});
