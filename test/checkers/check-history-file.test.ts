// The streamed check of a file against checkHistory of the whole file in memory: every verdict
// and its evidence the same, the operations too when asked for, and the same first error.

import t from 'tap';
import { checkHistory } from '../../harness/checkers/check-history.js';
import { checkHistoryFile } from '../../harness/checkers/check-history-file.js';
import { checkNoPhantomValues } from '../../harness/checkers/no-phantom-values-checker.js';
import type { RunFacts } from '../../harness/checkers/run-facts.js';
import { formatHistory, generateHistory, type GenerateOptions } from '../../harness/history/generate-history.js';
import type { HistoryEvent } from '../../harness/history/history-event.js';
import { renderEvidenceHtml } from '../../harness/report/html-evidence.js';
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
      for (const secondThreadBytesMin of [Infinity, 0]) {
        const streamed = await checkHistoryFile(path, facts, { budgetMs: 20_000, secondThreadBytesMin });
        const how = `${label}, ${secondThreadBytesMin === 0 ? 'half the keys settled by a second thread' : 'one thread'}`;
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
  const streamed = await checkHistoryFile(path, undefined, { budgetMs: 5_000, keepOperations: true, secondThreadBytesMin: 0 });
  t.equal(streamed.valid, false);
  t.same(streamed.verdicts, expected.verdicts);
  t.same(streamed.verdicts.find((verdict) => verdict.check === 'no-phantom-values'), checkNoPhantomValues([...expected.operations!]), 'the phantom read found, as the check of the whole history alone finds it');
  t.same([...streamed.operations!].sort((a, b) => a.index - b.index), expected.operations, 'every operation, as pairOperations gives them');
  const page = (result: typeof expected) => renderEvidenceHtml({ title: 'h', operations: result.operations!, operationCount: result.operationCount, verdicts: result.verdicts });
  t.equal(page(streamed), page(expected), 'the same evidence page');
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
