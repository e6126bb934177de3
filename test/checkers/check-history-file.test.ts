// The streamed check of a file against checkHistory of the whole file in memory: every verdict
// and its evidence the same, the operations too when asked for, and the same first error.

import t from 'tap';
import { checkHistory } from '../../harness/checkers/check-history.js';
import { checkHistoryFile } from '../../harness/checkers/check-history-file.js';
import { checkNoPhantomValues } from '../../harness/checkers/no-phantom-values-checker.js';
import type { RunFacts } from '../../harness/checkers/run-facts.js';
import { formatHistory, generateHistory, type GenerateOptions } from '../../harness/history/generate-history.js';
import type { HistoryEvent } from '../../harness/history/history-event.js';
import type { Operation } from '../../harness/history/operation.js';
import { renderEvidenceHtml } from '../../harness/report/html-evidence.js';
import { pageOperations } from '../../harness/report/page-operations.js';
import { malformedMessage, readHistoryFile, temporaryHistoryFiles } from '../history/history-files.js';

const file = temporaryHistoryFiles(t);

async function inMemory(path: string, facts: RunFacts | undefined) {
  const { events, lines } = await readHistoryFile(path);
  return checkHistory(events, facts, { budgetMs: 20_000, fileName: path, lines });
}

const withDeletes = { read: 0.45, write: 0.25, cas: 0.15, delete: 0.15 };
const histories: [string, Omit<GenerateOptions, 'seed'>][] = [
  ['valid, 10 keys', { operations: 5000, keys: 10, clients: 6, infoRate: 0.01 }],
  ['one stale read', { operations: 5000, keys: 10, clients: 6, infoRate: 0.01, anomaly: 'stale-read' }],
  ['a hot key with deletes (the search decides it)', { operations: 1500, keys: 1, clients: 6, infoRate: 0.005, mix: withDeletes }],
  ['a stale read on a key with deletes', { operations: 1500, keys: 2, clients: 6, infoRate: 0.005, mix: withDeletes, anomaly: 'stale-read' }],
];

function factsFor(events: readonly HistoryEvent[]): RunFacts {
  const endNs = events.at(-1)!.time;
  return {
    faultWindows: [
      { name: 'kill-1', startNs: endNs * 0.2, endNs: endNs * 0.3, targets: ['raft-0'] },
      { name: 'partition-2', startNs: endNs * 0.5, endNs: endNs * 0.7, targets: ['raft-1'] },
    ],
    finalReadsStartNs: endNs * 0.9,
    limits: { recoveryMsMax: 1, minOpsAroundFault: 10, availabilityMin: 0.5 },
  };
}

t.test('generated histories: the same verdicts and evidence, with and without run facts', async (t) => {
  for (const [name, options] of histories) {
    const events = generateHistory({ seed: 31, ...options });
    const path = file(formatHistory(events));
    for (const facts of [undefined, factsFor(events)]) {
      const label = `${name}${facts ? ', with facts' : ''}`;
      const expected = await inMemory(path, facts);
      const phantoms = expected.verdicts.find((verdict) => verdict.check === 'no-phantom-values');
      t.same(phantoms, checkNoPhantomValues([...expected.operations!]), `${label}: no-phantom-values as the check of the whole history alone gives it`);
      for (const [secondThreadBytesMin, parkAfterIdleLines] of [
        [Infinity, Infinity],
        [0, Infinity],
        [Infinity, 8],
      ] as const) {
        const streamed = await checkHistoryFile(path, facts, { budgetMs: 20_000, secondThreadBytesMin, parkAfterIdleLines });
        const how = `${label}, ${secondThreadBytesMin === 0 ? 'half the keys settled by a second thread' : 'one thread'}${parkAfterIdleLines === 8 ? ', keys idle for 8 lines parked on disk' : ''}`;
        t.same(streamed.verdicts, expected.verdicts, how);
        t.equal(streamed.valid, expected.valid, `${how}: ${expected.valid}`);
        t.equal(streamed.operationCount, expected.operationCount);
        t.equal(streamed.operations, undefined, 'no operations held unless asked for');
      }
    }
  }
});

t.test('a phantom read, an info write of a non-ASCII value read later, and operations still in flight', async (t) => {
  const text = [
    '{"process":0,"type":"invoke","f":"write","key":"a","value":"x","time":1}',
    '{"process":1,"type":"invoke","f":"write","key":"b","value":"caf\u00e9 \u2603","time":2,"node":"raft-1"}',
    '{"process":0,"type":"ok","f":"write","key":"a","value":"x","time":3,"node":"raft-0"}',
    '{"process":1,"type":"info","f":"write","key":"b","value":"caf\u00e9 \u2603","time":4,"error":"timeout"}',
    '{"process":2,"type":"invoke","f":"read","key":"a","value":null,"time":5}',
    '{"process":2,"type":"ok","f":"read","key":"a","value":"ghost","time":6}',
    '{"process":3,"type":"invoke","f":"read","key":"b","value":null,"time":7}',
    '{"process":3,"type":"ok","f":"read","key":"b","value":"caf\u00e9 \u2603","time":8}',
    '{"process":4,"type":"invoke","f":"cas","key":"b","value":["caf\u00e9 \u2603","z"],"time":9}',
  ].join('\n');
  const path = file(text);
  const expected = await inMemory(path, undefined);
  const page = async (result: typeof expected) => renderEvidenceHtml({ title: 'h', ...(await pageOperations(result, result.verdicts)), operationCount: result.operationCount, verdicts: result.verdicts });
  for (const [secondThreadBytesMin, parkAfterIdleLines] of [
    [Infinity, Infinity],
    [0, 1],
  ] as const) {
    const how = secondThreadBytesMin === 0 ? 'a large file, keys parked after one idle line' : 'a small file';
    const streamed = await checkHistoryFile(path, undefined, { budgetMs: 5_000, keepOperations: true, secondThreadBytesMin, parkAfterIdleLines });
    t.equal(streamed.valid, false, how);
    t.same(streamed.verdicts, expected.verdicts, how);
    t.same(streamed.verdicts.find((verdict) => verdict.check === 'no-phantom-values'), checkNoPhantomValues([...expected.operations!]), `${how}: the phantom read found, as the check of the whole history alone finds it`);
    const operations: Operation[] = [];
    if (streamed.operations !== undefined) operations.push(...streamed.operations);
    else await streamed.forEachOperation!((operation) => operations.push(operation));
    t.equal(streamed.operations === undefined, secondThreadBytesMin === 0, `${how}: the operations ${secondThreadBytesMin === 0 ? 'read again' : 'kept in memory'}`);
    t.same(operations.sort((a, b) => a.index - b.index), expected.operations, `${how}: every operation, as pairOperations gives them`);
    t.equal(await page(streamed), await page(expected), `${how}: the same evidence page`);
  }
});

t.test('a key parked on disk while an operation of it is in flight, then completed, read again and appended to', async (t) => {
  const text = [
    '{"process":0,"type":"invoke","f":"write","key":"slow","value":"a","time":1}',
    '{"process":1,"type":"invoke","f":"cas","key":"other","value":[null,"b"],"time":2}',
    '{"process":1,"type":"ok","f":"cas","key":"other","value":[null,"b"],"time":3}',
    '{"process":1,"type":"invoke","f":"read","key":"other","value":null,"time":4}',
    '{"process":1,"type":"ok","f":"read","key":"other","value":"b","time":5}',
    '{"process":0,"type":"ok","f":"write","key":"slow","value":"a","time":6}',
    '{"process":2,"type":"invoke","f":"cas","key":"other","value":["b","c"],"time":7}',
    '{"process":2,"type":"ok","f":"cas","key":"other","value":["b","c"],"time":8}',
    '{"process":3,"type":"invoke","f":"read","key":"slow","value":null,"time":9}',
    '{"process":3,"type":"ok","f":"read","key":"slow","value":"stale","time":10}',
    '{"process":4,"type":"invoke","f":"read","key":"other","value":null,"time":11}',
    '{"process":4,"type":"ok","f":"read","key":"other","value":"b","time":12}',
  ].join('\n');
  const path = file(text);
  const expected = await inMemory(path, undefined);
  t.equal(expected.valid, false, 'a stale read of other and a phantom read of slow');
  for (const parkAfterIdleLines of [1, 2, 3]) {
    const streamed = await checkHistoryFile(path, undefined, { budgetMs: 5_000, parkAfterIdleLines });
    t.same(streamed.verdicts, expected.verdicts, `keys idle for ${parkAfterIdleLines} lines parked`);
  }
});

t.test('malformed files: the same first error as reading the whole file', async (t) => {
  const invoke = '{"process":0,"type":"invoke","f":"write","key":"k","value":"a","time":1}';
  const cases = [
    '',
    '\n\n',
    `${invoke}\n${invoke}\n`,
    `${invoke}\n${invoke}\n{"process":1,"type":"bad"}\n`,
    '{"process":0,"type":"ok","f":"write","key":"k","value":"a","time":1}\n',
    `${invoke}\n{"process":0,"type":"ok","f":"write","key":"j","value":"a","time":2}\n`,
  ];
  for (const text of cases) {
    const path = file(text);
    const expected = await malformedMessage(() => inMemory(path, undefined));
    t.not(expected, 'no error', JSON.stringify(text));
    t.equal(await malformedMessage(() => checkHistoryFile(path, undefined, { budgetMs: 1_000 })), expected, JSON.stringify(text));
  }
});
