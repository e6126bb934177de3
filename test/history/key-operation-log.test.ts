// The compact log of one key's operations gives back exactly what it was given, however its
// columns grew: a cas long after the key's first operations keeps its `from`.

import t from 'tap';
import type { HistoryEvent } from '../../harness/history/history-event.js';
import { KeyOperationLog, LabelTable } from '../../harness/history/key-operation-log.js';
import { operationRows } from '../../harness/history/operation-rows.js';
import { pairOperations } from '../../harness/history/pair-operations.js';

function history(writes: number): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let time = 0;
  for (let index = 0; index < writes; index++) {
    events.push({ process: 1, type: 'invoke', f: 'write', key: 'k', value: `v${index}`, time: time++ });
    events.push({ process: 1, type: 'ok', f: 'write', key: 'k', value: `v${index}`, time: time++, node: 'raft-0' });
  }
  events.push({ process: 2, type: 'invoke', f: 'cas', key: 'k', value: [`v${writes - 1}`, 'caf\u00e9'], time: time++ });
  events.push({ process: 2, type: 'fail', f: 'cas', key: 'k', value: [`v${writes - 1}`, 'caf\u00e9'], time: time++, error: 'cas-mismatch' });
  events.push({ process: 3, type: 'invoke', f: 'read', key: 'k', value: null, time: time++ });
  return events;
}

t.test('operations, views and snapshots give back what was appended, after many rows', async (t) => {
  for (const writes of [1, 31, 32, 100, 5000]) {
    const events = history(writes);
    const expected = pairOperations(events);
    const log = new KeyOperationLog('k', new LabelTable());
    const rows = new Map<number, number>();
    let index = 0;
    for (const event of events) {
      if (event.type === 'invoke') rows.set(event.process, log.append(event, index++));
      else log.complete(rows.get(event.process)!, event);
    }
    t.same(log.operations(), expected, `${writes} writes, then a cas: operations()`);
    const views = Array.from({ length: log.length }, (_, row) => ({ ...log.view(row) }));
    const expectedViews = Array.from({ length: expected.length }, (_, row) => ({ error: undefined, node: undefined, ...operationRows(expected).view(row) }));
    t.same(views, expectedViews, `${writes} writes: view()`);
    t.same(KeyOperationLog.of(log.snapshot(), LabelTable.of(['raft-0', 'cas-mismatch'])).operations(), expected, `${writes} writes: through a snapshot`);
  }
});
