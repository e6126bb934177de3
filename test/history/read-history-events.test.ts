// The streamed reader against the whole-text parser: the same events, line numbers and errors,
// whether a line takes the fast path for the recorder's shape or goes through JSON.parse.

import t from 'tap';
import { formatHistory, generateHistory } from '../../harness/history/generate-history.js';
import type { HistoryEvent } from '../../harness/history/history-event.js';
import { parseCanonicalEvent } from '../../harness/history/parse-canonical-event.js';
import { parseHistoryLines } from '../../harness/history/parse-history.js';
import { forEachHistoryEvent } from '../../harness/history/read-history-events.js';
import { malformedMessage, temporaryHistoryFiles } from './history-files.js';

const file = temporaryHistoryFiles(t);

async function streamed(path: string): Promise<{ events: HistoryEvent[]; lines: number[] }> {
  const events: HistoryEvent[] = [];
  const lines: number[] = [];
  await forEachHistoryEvent(path, (event, line) => {
    events.push(event);
    lines.push(line);
  });
  return { events, lines };
}

/** Lines the recorder never writes but JSON allows, each with the event it stands for. */
const unusual = [
  '{ "process": 7, "type": "invoke", "f": "write", "key": "k1", "value": "spaced", "time": 5000000000 }',
  '{"process":7,"type":"ok","f":"write","key":"k1","value":"spaced","time":5000000001}\r',
  '{"process":8,"type":"invoke","f":"write","key":"k\\u0031","value":"esc\\"aped","time":5000000002}',
  '{"process":8,"type":"ok","f":"write","key":"k1","value":"esc\\"aped","time":5000000003,"node":null}',
  '{"process":9,"type":"invoke","f":"write","key":"k1","value":"caf\u00e9 \u2603","time":5.000000004e9}',
  '{"process":9,"type":"ok","f":"write","key":"k1","value":"caf\u00e9 \u2603","time":5000000004,"extra":[1,2]}',
  '',
  '   ',
  '{"time":5000000005,"process":10,"type":"invoke","f":"delete","key":"k1"}',
  '{"process":10,"type":"ok","f":"delete","key":"k1","value":null,"time":5000000006,"node":"raft-2","error":"x"}',
];

t.test('a generated history and unusual lines: the same events and line numbers as the whole-text parser', async (t) => {
  const events = generateHistory({ seed: 7, operations: 20_000, keys: 5, clients: 8, infoRate: 0.02, mix: { read: 0.4, write: 0.25, cas: 0.2, delete: 0.15 } });
  events.forEach((event, index) => {
    if (index % 7 === 0) event.node = `raft-${index % 3}`;
  });
  const text = `\uFEFF${formatHistory(events)}${unusual.join('\n')}`;
  t.ok(Buffer.byteLength(text) > 3 * (1 << 20), 'longer than several pieces of the reader');
  const whole = parseHistoryLines(text, 'h.jsonl');
  const read = await streamed(file(text));
  t.same(read.lines, whole.lines);
  t.same(read.events, whole.events);
  t.equal(read.events.length, events.length + unusual.length - 2);
});

t.test('the fast path agrees with JSON.parse on every line it takes, and leaves the others to it', async (t) => {
  const lines = formatHistory(generateHistory({ seed: 8, operations: 2000, keys: 3, clients: 4, infoRate: 0.05, mix: { read: 0.4, write: 0.25, cas: 0.2, delete: 0.15 } })).trim().split('\n');
  for (const line of lines) {
    const bytes = Buffer.from(line);
    t.same(parseCanonicalEvent(bytes, 0, bytes.length), parseHistoryLines(line, 'h.jsonl').events[0], line);
  }
  for (const line of unusual) {
    const bytes = Buffer.from(line);
    t.equal(parseCanonicalEvent(bytes, 0, bytes.length), null, JSON.stringify(line));
  }
});

t.test('a line longer than a piece of the reader', async (t) => {
  const value = 'x'.repeat(3 * (1 << 20));
  const text = `{"process":1,"type":"invoke","f":"write","key":"k","value":"${value}","time":1}\n{"process":1,"type":"ok","f":"write","key":"k","value":"${value}","time":2}`;
  const read = await streamed(file(text));
  t.same(read.lines, [1, 2]);
  t.equal(read.events[1]!.value, value);
});

t.test('malformed lines: the same file:line field: problem as the whole-text parser', async (t) => {
  const good = '{"process":3,"type":"invoke","f":"write","key":"k1","value":"v17","time":1843120055}';
  const broken = [
    good.replace('"invoke"', '"done"'),
    good.replace('"v17"', 'null'),
    good.replace('3', '-3'),
    good.replace(':3', ':03'),
    good.replace('1843120055', '18431200551843120055'),
    good.replace('"write"', '"cas"'),
    good.replace('}', ''),
    `${good}\n${good.replace('1843120055', '1843120054')}`,
    '{"process":3,"type":"ok","f":"read","key":"k1","value":7,"time":1}',
    '[1,2]',
  ];
  for (const line of broken) {
    const text = `${good}\n\n${line}\n`;
    const expected = await malformedMessage(() => parseHistoryLines(text, 'h.jsonl'));
    t.not(expected, 'no error', line);
    const path = file(text);
    t.equal(await malformedMessage(() => streamed(path)), expected.replace('h.jsonl', path), line);
  }
});

t.test('an empty file and a lone byte order mark have no events', async (t) => {
  t.same(await streamed(file('')), { events: [], lines: [] });
  t.same(await streamed(file('\uFEFF')), { events: [], lines: [] });
});
