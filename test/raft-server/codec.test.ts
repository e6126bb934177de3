import t from 'tap';
import { LineSplitter, encodeResponse, parseRequest } from '../../raft/protocol/codec.js';
import { maxLineBytes } from '../../raft/protocol/registry.js';

t.test('splits lines across chunk boundaries and skips empty lines', async (t) => {
  const splitter = new LineSplitter();
  const events = [
    ...splitter.push(Buffer.from('{"a":1}\n{"b"')),
    ...splitter.push(Buffer.from(':2}\r\n\n')),
    ...splitter.push(Buffer.from('{"c":3}')),
  ];
  t.same(events, [
    { kind: 'line', line: '{"a":1}' },
    { kind: 'line', line: '{"b":2}' },
  ]);
  t.equal(splitter.bufferedBytes, 7, 'the unfinished line is held');
  t.same(splitter.push(Buffer.from('\n')), [{ kind: 'line', line: '{"c":3}' }]);
});

t.test('a 2 MiB line is reported once, never buffered whole, and the next line parses', async (t) => {
  const splitter = new LineSplitter();
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const events = [];
  let maxBuffered = 0;
  for (let sent = 0; sent < 2 * 1024 * 1024; sent += chunk.length) {
    events.push(...splitter.push(chunk));
    maxBuffered = Math.max(maxBuffered, splitter.bufferedBytes);
  }
  events.push(...splitter.push(Buffer.from('\n{"id":1,"op":"status"}\n')));
  t.equal(events.length, 2);
  t.equal(events[0]!.kind, 'too_long');
  t.same(events[1], { kind: 'line', line: '{"id":1,"op":"status"}' });
  t.ok(maxBuffered <= maxLineBytes, `held at most ${maxBuffered} bytes`);
});

t.test('a line of exactly 1 MiB is accepted, one byte more is not', async (t) => {
  const exact = new LineSplitter();
  const line = `"${'x'.repeat(maxLineBytes - 2)}"`;
  t.same(exact.push(Buffer.from(`${line}\n`)).map((event) => event.kind), ['line']);
  const over = new LineSplitter();
  t.same(over.push(Buffer.from(`${line}x\n`)).map((event) => event.kind), ['too_long']);
});

t.test('garbage gets bad_request with a null id', async (t) => {
  for (const line of ['not json', '[1,2]', '42', '{"op":"get","key":"k"}', '{"id":"one","op":"status"}']) {
    const parsed = parseRequest(line);
    t.equal(parsed.ok, false, line);
    if (!parsed.ok) {
      t.equal(parsed.response.error, 'bad_request');
      t.equal(parsed.response.id, null);
      t.type(parsed.response.message, 'string');
    }
  }
});

t.test('unknown op and missing or mistyped fields get bad_request echoing the id', async (t) => {
  const cases: [string, RegExp][] = [
    ['{"id":7,"op":"explode"}', /unknown op "explode"/],
    ['{"id":7,"op":"put","key":"k"}', /missing field "value"/],
    ['{"id":7,"op":"get","key":3}', /"key" must be string/],
    ['{"id":7,"op":"cas","key":"k","to":"b"}', /missing field "from"/],
    ['{"id":7,"op":"put","key":"k","value":"v","seq":1.5}', /"seq" must be integer/],
  ];
  for (const [line, pattern] of cases) {
    const parsed = parseRequest(line);
    t.equal(parsed.ok, false, line);
    if (!parsed.ok) {
      t.equal(parsed.response.id, 7);
      t.match(parsed.response.message, pattern);
    }
  }
});

t.test('valid requests keep only the fields the registry names', async (t) => {
  t.same(parseRequest('{"id":1,"op":"cas","key":"k","from":null,"to":"b","junk":true}'), {
    ok: true,
    request: { id: 1, op: 'cas', key: 'k', from: null, to: 'b' },
  });
  t.same(parseRequest('{"id":2,"op":"put","key":"k","value":"v","client":"c1","seq":4}'), {
    ok: true,
    request: { id: 2, op: 'put', key: 'k', value: 'v', client: 'c1', seq: 4 },
  });
  t.equal(encodeResponse({ id: 2, ok: true }), '{"id":2,"ok":true}\n');
});
