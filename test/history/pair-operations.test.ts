import t from 'tap';
import type { HistoryEvent } from '../../harness/history/history-event.js';
import { MalformedHistoryError } from '../../harness/history/malformed-history-error.js';
import { pairOperations } from '../../harness/history/pair-operations.js';

const invoke = (process: number, time: number, f: HistoryEvent['f'] = 'write', key = 'k'): HistoryEvent => ({ process, type: 'invoke', f, key, value: f === 'write' ? `v${time}` : null, time });
const done = (process: number, time: number, type: HistoryEvent['type'] = 'ok', f: HistoryEvent['f'] = 'write', key = 'k', value: HistoryEvent['value'] = `v${time}`): HistoryEvent => ({ process, type, f, key, value, time });

t.test('pairs invokes and completions in invocation order', async (t) => {
  const operations = pairOperations([invoke(1, 1), invoke(2, 2, 'read'), done(1, 3, 'ok', 'write', 'k', 'v1'), done(2, 4, 'ok', 'read', 'k', 'v1'), invoke(3, 5)]);
  t.equal(operations.length, 3);
  t.match(operations[0], { index: 0, process: 1, f: 'write', value: 'v1', outcome: 'ok', invokeNs: 1, completeNs: 3 });
  t.match(operations[1], { index: 1, process: 2, f: 'read', value: 'v1', outcome: 'ok', invokeNs: 2, completeNs: 4 });
  t.match(operations[2], { process: 3, outcome: 'info', completeNs: null }, 'still in flight at the end: indefinite');
});

function problem(events: HistoryEvent[]): MalformedHistoryError {
  try {
    pairOperations(events, 'h.jsonl');
  } catch (error) {
    if (error instanceof MalformedHistoryError) return error;
    throw error;
  }
  throw new Error('expected a MalformedHistoryError');
}

t.test('the process rule: one operation in flight per process', async (t) => {
  const error = problem([invoke(1, 1), invoke(1, 2)]);
  t.equal(error.line, 2);
  t.match(error.message, /h\.jsonl:2 process: process 1 invokes while its operation from line 1 is still in flight/);
});

t.test('the process rule: no invoke after info', async (t) => {
  const error = problem([invoke(1, 1), done(1, 2, 'info'), invoke(1, 3)]);
  t.equal(error.line, 3);
  t.match(error.message, /invokes again after its info completion on line 2/);
});

t.test('completions must match an invoke of the same process, kind, key, and not precede it', async (t) => {
  t.match(problem([done(1, 1)]).message, /h\.jsonl:1 type: process 1 completes \(ok\) with no operation in flight/);
  t.match(problem([invoke(1, 1), done(1, 2, 'ok', 'read', 'k', null)]).message, /h\.jsonl:2 f: completion says read but process 1 invoked write on line 1/);
  t.match(problem([invoke(1, 1), done(1, 2, 'ok', 'write', 'other')]).message, /h\.jsonl:2 key:/);
  t.match(problem([invoke(1, 10), done(1, 2)]).message, /h\.jsonl:2 time: completion at 2 ns is before its invoke at 10 ns/);
});

t.test('line numbers can be mapped to the file', async (t) => {
  try {
    pairOperations([invoke(1, 1), invoke(1, 2)], 'h.jsonl', (index) => index * 2 + 1);
    t.fail('expected an error');
  } catch (error) {
    t.equal((error as MalformedHistoryError).line, 3);
  }
});
