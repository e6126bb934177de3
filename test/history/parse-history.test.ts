import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MalformedHistoryError } from '../../harness/history/malformed-history-error.js';
import { parseHistory } from '../../harness/history/parse-history.js';
import { forEachHistoryEvent } from '../../harness/history/read-history-events.js';
import type { HistoryEvent } from '../../harness/history/history-event.js';

const good = '{"process":3,"type":"invoke","f":"write","key":"k1","value":"v17","time":1843120055}';

function problemOf(text: string): MalformedHistoryError {
  try {
    parseHistory(text, 'h.jsonl');
  } catch (error) {
    if (error instanceof MalformedHistoryError) return error;
    throw error;
  }
  throw new Error('expected a MalformedHistoryError');
}

t.test('parses the events of SPEC section 3, skipping blank lines', async (t) => {
  const events = parseHistory(`${good}\n\n{"process":3,"type":"ok","f":"write","key":"k1","value":"v17","time":1843997001}\n{"process":1,"type":"invoke","f":"read","key":"k1","value":null,"time":1843997005}\n{"process":1,"type":"ok","f":"read","key":"k1","value":null,"time":1843997006,"node":"raft-1"}\n{"process":2,"type":"invoke","f":"cas","key":"k1","value":[null,"a"],"time":1843997007}\n{"process":2,"type":"info","f":"cas","key":"k1","value":[null,"a"],"time":1843997009,"error":"timeout"}\n{"process":4,"type":"invoke","f":"delete","key":"k1","time":1843997010}\n`, 'h.jsonl');
  t.equal(events.length, 7);
  t.same(events[1], { process: 3, type: 'ok', f: 'write', key: 'k1', value: 'v17', time: 1843997001 });
  t.equal(events[3]!.node, 'raft-1');
  t.same(events[4]!.value, [null, 'a']);
  t.equal(events[5]!.error, 'timeout');
  t.equal(events[6]!.value, null, 'a delete without a value reads as null');
});

t.test('a malformed line names the file, the line and the field', async (t) => {
  const cases: [string, number, string, RegExp][] = [
    [`${good}\n{"process":3,"type":"ok"`, 2, 'line', /not valid JSON/],
    [`${good}\n[1,2]`, 2, 'line', /expected a JSON object/],
    [`${good}\n\n${good.replace('"process":3', '"process":-1')}`, 3, 'process', /non-negative integer, got -1/],
    [good.replace('"invoke"', '"started"'), 1, 'type', /got "started"/],
    [good.replace('"write"', '"append"'), 1, 'f', /got "append"/],
    [good.replace('"k1"', '7'), 1, 'key', /expected a string, got 7/],
    [good.replace('1843120055', '1.5'), 1, 'time', /integer nanoseconds, got 1.5/],
    [good.replace(',"time":1843120055', ''), 1, 'time', /got nothing/],
    [good.replace('"v17"', '17'), 1, 'value', /a write takes a string value, got 17/],
    [good.replace('"write","key":"k1","value":"v17"', '"cas","key":"k1","value":["a"]'), 1, 'value', /a cas takes \[from, to\]/],
    [good.replace('}', ',"error":5}'), 1, 'error', /expected a string/],
  ];
  for (const [text, line, field, problem] of cases) {
    const error = problemOf(text);
    t.equal(error.line, line, `${field}: line`);
    t.equal(error.field, field);
    t.match(error.message, new RegExp(`^h\\.jsonl:${line} ${field}: `));
    t.match(error.message, problem);
  }
});

t.test('a real file is read with the line number of each event', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'raft-chaos-parse-'));
  t.teardown(() => rmSync(directory, { recursive: true, force: true }));
  const path = join(directory, 'history.jsonl');
  writeFileSync(path, `${good}\n\n${good}\n`);
  const events: HistoryEvent[] = [];
  const lines: number[] = [];
  await forEachHistoryEvent(path, (event, line) => {
    events.push(event);
    lines.push(line);
  });
  t.equal(events.length, 2);
  t.same(lines, [1, 3]);
});

t.test('a time smaller than the line before it is malformed, naming both lines', async (t) => {
  const later = good.replace('1843120055', '1843120099');
  const error = problemOf(`${later}\n\n${good}\n`);
  t.equal(error.line, 3);
  t.equal(error.field, 'time');
  t.match(error.message, /^h\.jsonl:3 time: 1843120055 is smaller than 1843120099 on line 1; .*never goes back/);
  t.equal(parseHistory(`${good}\n${good}\n`, 'h.jsonl').length, 2, 'equal times are fine');
});

t.test('a leading UTF-8 byte order mark is skipped', async (t) => {
  const events = parseHistory(`\uFEFF${good}\n`, 'h.jsonl');
  t.equal(events.length, 1);
  t.equal(events[0]!.time, 1843120055);
});
