import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHistoryRecorder } from '../../harness/history/history-recorder.js';
import { pairOperations } from '../../harness/history/pair-operations.js';
import { readHistoryFile } from './history-files.js';

t.test('records invokes and completions that read back as a valid history', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'raft-chaos-recorder-'));
  t.teardown(() => rmSync(directory, { recursive: true, force: true }));
  const path = join(directory, 'history.jsonl');
  const recorder = createHistoryRecorder(path);
  const invoked = recorder.invoke(0, 'write', 'k1', 'v1');
  recorder.invoke(1, 'read', 'k1', 'ignored');
  recorder.complete(0, 'ok', 'write', 'k1', 'v1', { node: 'raft-0' });
  recorder.complete(1, 'info', 'read', 'k1', null, { error: 'timeout' });
  recorder.invoke(2, 'cas', 'k1', ['v1', 'v2']);
  const last = recorder.complete(2, 'fail', 'cas', 'k1', ['v1', 'v2'], { error: 'cas_mismatch' });
  await recorder.close();
  t.ok(last >= invoked, 'times come from one monotonic clock');
  const { events } = await readHistoryFile(path);
  t.equal(events.length, 6);
  t.equal(events[1]!.value, null, 'a read invoke carries null');
  t.equal(events[2]!.node, 'raft-0');
  t.equal(events[3]!.error, 'timeout');
  for (let index = 1; index < events.length; index++) t.ok(events[index]!.time >= events[index - 1]!.time, 'non-decreasing');
  const operations = pairOperations(events, path);
  t.same(operations.map((operation) => operation.outcome), ['ok', 'info', 'fail']);
});

t.test('the clock starts at the recorder creation unless a start is given', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'raft-chaos-recorder-'));
  t.teardown(() => rmSync(directory, { recursive: true, force: true }));
  const recorder = createHistoryRecorder(join(directory, 'a.jsonl'), process.hrtime.bigint() - 5_000_000_000n);
  t.ok(recorder.nowNs() >= 5_000_000_000);
  await recorder.close();
});
