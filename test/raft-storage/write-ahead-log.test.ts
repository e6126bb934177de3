import t from 'tap';
import { appendFile, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEntry } from '../../raft/core/types.js';
import { WriteAheadLog, type WalRecovery } from '../../raft/storage/write-ahead-log.js';
import { decodeRecords, encodeRecord } from '../../raft/storage/record-format.js';
import { onlySegment, recordBytesOf, writeAfterLastRecord } from './segment-bytes.js';

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

/** A closed log in a fresh directory holding entries 1..lastIndex of term 1, and its one segment. */
async function closedLogOf(t: { teardown(callback: () => unknown): void }, lastIndex: number): Promise<{ directory: string; segment: string }> {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(directory, durable);
  log.append(entries(1, lastIndex, 1));
  await log.close();
  return { directory, segment: await onlySegment(directory) };
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
  const before = await recordBytesOf(segment);
  for (let index = 1; index <= 100; index += 1) log.append(entries(index, index, 1));
  t.equal(await recordBytesOf(segment), before, 'nothing reaches the file before flush');
  log.flush();
  t.ok((await recordBytesOf(segment)) > before, 'the batch is in the file after one flush');
  await log.close();
  const { log: reopened } = await WriteAheadLog.open(directory, durable);
  t.equal(reopened.state.entries.length, 100);
  await reopened.close();
});

t.test('a torn last record at the very end of a file (no reserve after it) is dropped and the file truncated there', async (t) => {
  const { directory, segment } = await closedLogOf(t, 3);
  await truncate(segment, await recordBytesOf(segment));
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
  const { directory, segment } = await closedLogOf(t, 2);
  const record = encodeRecord({ t: 'append', entries: entries(3, 3, 1) });
  record[record.length - 2] ^= 0xff;
  await writeAfterLastRecord(segment, record);
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
  const sizeBefore = await recordBytesOf(await onlySegment(directory));
  await log.compact(990, 1);
  t.same(log.state.entries.map((entry) => entry.index), [991, 992, 993, 994, 995, 996, 997, 998, 999, 1000]);
  log.append(entries(1001, 1001, 2));
  await log.close();
  const sizeAfter = await recordBytesOf(await onlySegment(directory));
  t.ok(sizeAfter < sizeBefore / 10, `the segment's records shrank from ${sizeBefore} to ${sizeAfter} bytes`);
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

t.test('a clean reopen: the zero-filled reserve after the records is not a torn tail, and every entry comes back', async (t) => {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(directory, { ...durable, reserveBytes: 64 * 1024 });
  log.append(entries(1, 2, 1));
  log.flush();
  log.append(entries(3, 5, 1));
  await log.close();
  const segment = await onlySegment(directory);
  const bytes = await readFile(segment);
  const records = await recordBytesOf(segment);
  t.ok(bytes.length >= records + 32 * 1024, `the file (${bytes.length} bytes) holds a reserve after its ${records} bytes of records`);
  t.ok(bytes.subarray(records).every((byte) => byte === 0), 'the reserve is zeros');
  const { log: reopened, recovery } = await WriteAheadLog.open(directory, durable);
  t.equal(recovery.tornTail, null, 'no torn tail reported');
  t.same(reopened.state.entries.map((entry) => entry.index), [1, 2, 3, 4, 5]);
  await reopened.close();
});

t.test('a record torn inside the reserve (its end never landed, zeros after it) is dropped and reported', async (t) => {
  const { directory, segment } = await closedLogOf(t, 3);
  const validBefore = await recordBytesOf(segment);
  const whole = encodeRecord({ t: 'append', entries: entries(4, 6, 1) });
  await writeAfterLastRecord(segment, whole.subarray(0, whole.length - 20));
  const { log: reopened, recovery } = await WriteAheadLog.open(directory, durable);
  t.same(reopened.state.entries.map((entry) => entry.index), [1, 2, 3], 'entries before the torn record are kept');
  t.match(recovery.tornTail, { file: segment, offset: validBefore, droppedBytes: whole.length, reason: /CRC32 mismatch/ });
  await reopened.close();
});

t.test('damage followed by zeros and then non-zero data is refused, not taken for a torn tail', async (t) => {
  const { directory, segment } = await closedLogOf(t, 3);
  const damaged = encodeRecord({ t: 'append', entries: entries(4, 4, 1) });
  damaged[damaged.length - 3] ^= 0xff;
  const later = encodeRecord({ t: 'append', entries: entries(5, 5, 1) });
  await writeAfterLastRecord(segment, Buffer.concat([damaged, Buffer.alloc(512), later]));
  await t.rejects(WriteAheadLog.open(directory, durable), { name: 'CorruptRecordError', message: /corrupt record at byte offset \d+: CRC32 mismatch/ });
});

interface Extension {
  /** The index of the entry whose flush extended the reserve. */
  lastIndex: number;
  /** The segment as it was before that flush, and after it. */
  before: Buffer;
  after: Buffer;
}

/** Appends one entry per flush (values of `valueBytes`) until a flush extends the segment's reserve. */
async function flushUntilExtended(log: WriteAheadLog, segment: string, firstIndex: number, valueBytes = 8): Promise<Extension> {
  let before = await readFile(segment);
  for (let index = firstIndex; index < firstIndex + 10_000; index += 1) {
    log.append([{ index, term: 1, command: { kind: 'put', key: `k${index}`, value: 'v'.repeat(valueBytes) } }]);
    log.flush();
    const after = await readFile(segment);
    if (after.length > before.length) return { lastIndex: index, before, after };
    before = after;
  }
  throw new Error(`the reserve of ${segment} was never extended past ${before.length} bytes`);
}

/** Opens a log whose only segment holds `bytes` (a crash image), in a fresh directory under `parent`. */
async function reopenImage(parent: string, name: string, bytes: Buffer): Promise<{ indexes: number[]; recovery: WalRecovery }> {
  const directory = join(parent, name);
  const { log: empty } = await WriteAheadLog.open(directory, durable);
  await empty.close();
  await writeFile(await onlySegment(directory), bytes);
  const { log, recovery } = await WriteAheadLog.open(directory, durable);
  await log.close();
  return { indexes: log.state.entries.map((entry) => entry.index), recovery };
}

const upTo = (last: number) => Array.from({ length: last }, (_, position) => position + 1);

t.test('entries written across several extensions of the reserve come back intact', async (t) => {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(directory, { ...durable, reserveBytes: 2048 });
  const segment = await onlySegment(directory);
  const sizes: number[] = [log.segmentBytes.file];
  let next = 1;
  for (let extension = 0; extension < 3; extension += 1) {
    next = (await flushUntilExtended(log, segment, next)).lastIndex + 1;
    sizes.push(log.segmentBytes.file);
  }
  t.ok(log.segmentBytes.file - log.segmentBytes.records >= 1024, `at least half a reserve is left ahead of the records (file sizes ${sizes.join(', ')})`);
  await log.close();
  const { log: reopened, recovery } = await WriteAheadLog.open(directory, durable);
  t.equal(recovery.tornTail, null);
  t.same(reopened.state.entries.map((entry) => entry.index), upTo(next - 1));
  t.same(reopened.state.entries.at(-1)?.command, { kind: 'put', key: `k${next - 1}`, value: 'v'.repeat(8) });
  await reopened.close();
});

t.test('a crash during the flush that extends the reserve: only that flush\'s record may be lost', async (t) => {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(join(directory, 'live'), { ...durable, reserveBytes: 2048 });
  const segment = await onlySegment(join(directory, 'live'));
  const { lastIndex, before, after } = await flushUntilExtended(log, segment, 1);
  await log.close();
  const recordsBefore = decodeRecords(before, segment).validBytes;
  const recordsAfter = decodeRecords(after, segment).validBytes;
  const record = after.subarray(recordsBefore, recordsAfter);
  const withRecord = (base: Buffer, bytes: Buffer) => Buffer.concat([base.subarray(0, recordsBefore), bytes, base.subarray(recordsBefore + bytes.length)]);

  const nothing = await reopenImage(directory, 'nothing-landed', before);
  t.same(nothing.indexes, upTo(lastIndex - 1), 'nothing of the flush landed: every earlier entry back');
  t.equal(nothing.recovery.tornTail, null, 'a clean end');
  const reserveOnly = await reopenImage(directory, 'reserve-only', withRecord(after, Buffer.alloc(record.length)));
  t.same(reserveOnly.indexes, upTo(lastIndex - 1), 'the extension landed, the record did not');
  t.equal(reserveOnly.recovery.tornTail, null, 'a clean end');
  const half = await reopenImage(directory, 'half-record', withRecord(before, record.subarray(0, record.length >> 1)));
  t.same(half.indexes, upTo(lastIndex - 1), 'half the record landed, the extension did not: the record is dropped');
  t.match(half.recovery.tornTail, { offset: recordsBefore }, 'and reported as torn');
  const recordOnly = await reopenImage(directory, 'record-only', withRecord(before, record));
  t.same(recordOnly.indexes, upTo(lastIndex), 'the record landed, the extension did not: every entry back');
  const everything = await reopenImage(directory, 'everything', after);
  t.same(everything.indexes, upTo(lastIndex), 'everything landed');
  t.equal(everything.recovery.tornTail, null);
});

t.test('a record larger than the reserve left crosses the old end of the file; cut there by a crash, it is dropped', async (t) => {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(join(directory, 'live'), { ...durable, reserveBytes: 2048 });
  const segment = await onlySegment(join(directory, 'live'));
  log.append(entries(1, 2, 1));
  log.flush();
  const { lastIndex, before, after } = await flushUntilExtended(log, segment, 3, 3000);
  await log.close();
  t.equal(lastIndex, 3, 'the one large record needed an extension');
  const recordsBefore = decodeRecords(before, segment).validBytes;
  t.ok(recordsBefore + 3000 > before.length, 'the record reaches past the old end of the file');
  const cut = await reopenImage(directory, 'cut-at-old-end', after.subarray(0, before.length));
  t.same(cut.indexes, [1, 2], 'the entries before it are back');
  t.match(cut.recovery.tornTail, { offset: recordsBefore, reason: /cut short/ }, 'the cut record is reported as torn');
  const everything = await reopenImage(directory, 'everything', after);
  t.same(everything.indexes, [1, 2, 3]);
});

t.test('flush is synchronous: every queued record is in the file when it returns, and the log stays whole', async (t) => {
  const directory = await temporaryDirectory(t);
  const { log } = await WriteAheadLog.open(directory, durable);
  const segment = await onlySegment(directory);
  const sizeBefore = await recordBytesOf(segment);
  log.append(entries(1, 2, 1));
  log.append(entries(3, 4, 1));
  const returned = log.flush();
  t.equal(returned, undefined, 'synchronous: nothing to await');
  const sizeAfter = await recordBytesOf(segment);
  t.equal(sizeAfter - sizeBefore, encodeRecord({ t: 'append', entries: entries(1, 2, 1) }).length + encodeRecord({ t: 'append', entries: entries(3, 4, 1) }).length, 'both records written by the time flush returned');
  const fileBytes = (await stat(segment)).size;
  log.flush();
  t.equal(await recordBytesOf(segment), sizeAfter, 'a flush with nothing queued writes nothing');
  t.equal((await stat(segment)).size, fileBytes, 'and the file keeps its size');
  await log.close();
  const { log: reopened } = await WriteAheadLog.open(directory, durable);
  t.same(reopened.state.entries.map((entry) => entry.index), [1, 2, 3, 4]);
  await reopened.close();
});
