// Key logs parked on disk come back exactly as they were, also in pieces appended to one
// another, and the spill file leaves nothing behind in the temporary directory, even while open.

import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import t from 'tap';
import type { HistoryEvent } from '../../harness/history/history-event.js';
import { KeyLogSpill } from '../../harness/history/key-log-spill.js';
import { KeyOperationLog, LabelTable } from '../../harness/history/key-operation-log.js';
import { pairOperations } from '../../harness/history/pair-operations.js';

function events(count: number): HistoryEvent[] {
  const result: HistoryEvent[] = [];
  for (let index = 0; index < count; index++) {
    const time = index * 10;
    if (index % 3 === 0) {
      result.push({ process: index, type: 'invoke', f: 'cas', key: 'k', value: [index === 0 ? null : `v${index - 1}`, `caf\u00e9 ${index}`], time });
      result.push({ process: index, type: 'fail', f: 'cas', key: 'k', value: [index === 0 ? null : `v${index - 1}`, `caf\u00e9 ${index}`], time: time + 1, error: 'cas_mismatch' });
    } else {
      result.push({ process: index, type: 'invoke', f: index % 3 === 1 ? 'write' : 'read', key: 'k', value: index % 3 === 1 ? `v${index}` : null, time, node: 'raft-1' });
      result.push({ process: index, type: 'ok', f: index % 3 === 1 ? 'write' : 'read', key: 'k', value: `v${index}`, time: time + 1, node: 'raft-2' });
    }
  }
  return result;
}

function logOf(piece: readonly HistoryEvent[], labels: LabelTable, firstIndex: number): KeyOperationLog {
  const log = new KeyOperationLog('k', labels);
  let index = firstIndex;
  let row = -1;
  for (const event of piece) {
    if (event.type === 'invoke') row = log.append(event, index++);
    else log.complete(row, event);
  }
  return log;
}

const ours = () => readdirSync(tmpdir()).filter((name) => name.startsWith('raft-chaos-check-'));

t.test('parked logs come back whole, and in pieces appended in order', async (t) => {
  const before = ours();
  const spill = new KeyLogSpill();
  t.same(ours(), before, 'no directory or file of the spill in the temporary directory while it is open');
  const labels = new LabelTable();
  const all = events(150);
  const expected = pairOperations(all);
  const whole = spill.park(logOf(all, labels, 0));
  t.same(spill.restore(whole, labels).operations(), expected, 'one piece');
  const first = spill.park(logOf(all.slice(0, 100), labels, 0));
  const second = spill.park(logOf(all.slice(100, 240), labels, 50));
  const inMemory = logOf(all.slice(240), labels, 120);
  const restored = spill.restore(first, labels);
  restored.appendRows(spill.restore(second, labels));
  restored.appendRows(inMemory);
  t.same(restored.operations(), expected, 'two parked pieces and one in memory');
  t.ok(spill.bytes > 0);
  spill.close();
  spill.close();
  t.same(ours(), before);
});
