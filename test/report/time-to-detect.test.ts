import t from 'tap';
import { median, timeToDetectMs } from '../../harness/report/time-to-detect.js';

const timeline = [
  '{"event":"note","time":1000000,"message":"cluster started"}',
  'not json',
  '{"event":"fault-start","id":"kill-1","time":2000000000}',
  '{"event":"fault-start","id":"kill-2","time":9000000000}',
];
const operation = (completeNs: number | null) => ({ f: 'read', invokeNs: 1, completeNs });

t.test('from the first fault to the moment the first failed check had seen all of its operations', async (t) => {
  const verdicts = [
    { valid: true, evidence: { operations: [operation(2_100_000_000)] } },
    { valid: false, evidence: { operations: [operation(3_000_000_000), operation(3_500_000_000), operation(null)] } },
    { valid: false, evidence: { finalRead: operation(8_000_000_000), lostWrite: operation(2_600_000_000) } },
  ];
  t.equal(timeToDetectMs({ verdicts, timelineLines: timeline }), 1500);
});

t.test('no fault, or no failed check with operations (node-log checks): no number', async (t) => {
  const failedLogCheck = [{ valid: false, evidence: { node: 'raft-1', term: 3 } }];
  t.equal(timeToDetectMs({ verdicts: failedLogCheck, timelineLines: timeline }), undefined);
  t.equal(timeToDetectMs({ verdicts: [{ valid: false, evidence: { operations: [operation(5)] } }], timelineLines: [] }), undefined);
  t.equal(timeToDetectMs({ verdicts: [{ valid: 'unknown', evidence: { operations: [operation(5)] } }], timelineLines: timeline }), undefined);
});

t.test('median over seeds', async (t) => {
  t.equal(median([]), undefined);
  t.equal(median([5, 1, 3]), 3);
  t.equal(median([4, 1, 3, 2]), 2.5);
});
