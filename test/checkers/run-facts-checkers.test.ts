import t from 'tap';
import { checkAvailability } from '../../harness/checkers/availability-checker.js';
import { checkFaultTookEffect } from '../../harness/checkers/fault-took-effect-checker.js';
import { checkNoLostWrites } from '../../harness/checkers/no-lost-writes-checker.js';
import { checkNoPhantomValues } from '../../harness/checkers/no-phantom-values-checker.js';
import { checkRecoveryTime } from '../../harness/checkers/recovery-time-checker.js';
import type { FaultWindow, RunFacts } from '../../harness/checkers/run-facts.js';
import { checkTrafficAroundFaults } from '../../harness/checkers/traffic-around-faults-checker.js';
import { checkHistory } from '../../harness/checkers/check-history.js';
import { pairOperations } from '../../harness/history/pair-operations.js';
import { history } from './history-builder.js';

const ms = 1e6;
const window = (name: string, startMs: number, endMs: number, extra: Partial<FaultWindow> = {}): FaultWindow => ({ name, startNs: startMs * ms, endNs: endMs * ms, targets: ['raft-0'], ...extra });

t.test('no lost writes: the final read returns the last acknowledged write', async (t) => {
  const facts: RunFacts = { faultWindows: [], finalReadsStartNs: 50 * ms };
  const good = pairOperations(history().write(0, 'k', 'a', 0, 1).write(1, 'k', 'b', 2, 3).read(2, 'k', 'b', 60, 61).build());
  t.equal(checkNoLostWrites(good, facts).valid, true);
  const lost = pairOperations(history().write(0, 'k', 'a', 0, 1).write(1, 'k', 'b', 2, 3).read(2, 'k', 'a', 60, 61).build());
  const verdict = checkNoLostWrites(lost, facts);
  t.equal(verdict.valid, false);
  t.equal(verdict.summary, 'lost write on k: final read at 0.060 s returned a, but write b was acknowledged at 0.003 s, after the write of a completed');
  t.match(verdict.evidence, { key: 'k', lostWrite: { value: 'b' }, finalRead: { value: 'a' } });
});

t.test('no lost writes: a concurrent or indefinite later write may be what the final read sees', async (t) => {
  const facts: RunFacts = { faultWindows: [], finalReadsStartNs: 50 * ms };
  const concurrent = pairOperations(history().write(0, 'k', 'a', 0, 10).write(1, 'k', 'b', 2, 3).read(2, 'k', 'a', 60, 61).build());
  t.equal(checkNoLostWrites(concurrent, facts).valid, true, 'a was still running when b was acknowledged');
  const indefinite = pairOperations(history().write(0, 'k', 'b', 0, 1).write(1, 'k', 'c', 2, 3, 'info').read(2, 'k', 'c', 60, 61).build());
  t.equal(checkNoLostWrites(indefinite, facts).valid, true);
  const deleted = pairOperations(history().write(0, 'k', 'b', 0, 1).remove(1, 'k', 2, 3).read(2, 'k', null, 60, 61).build());
  t.equal(checkNoLostWrites(deleted, facts).valid, true);
  const absent = pairOperations(history().write(0, 'k', 'b', 0, 1).read(2, 'k', null, 60, 61).build());
  t.equal(checkNoLostWrites(absent, facts).valid, false, 'absent after an acknowledged write and no delete');
});

t.test('no lost writes needs final reads', async (t) => {
  const operations = pairOperations(history().write(0, 'k', 'a', 0, 1).build());
  t.equal(checkNoLostWrites(operations, { faultWindows: [] }).valid, 'unknown');
  t.equal(checkNoLostWrites(operations, { faultWindows: [], finalReadsStartNs: 50 * ms }).valid, 'unknown');
});

t.test('no phantom values', async (t) => {
  const fine = pairOperations(history().write(0, 'k', 'a', 0, 1).cas(1, 'k', 'a', 'b', 2, 3).read(2, 'k', 'b', 4, 5).read(2, 'k', null, 6, 7).build());
  t.equal(checkNoPhantomValues(fine).valid, true);
  const phantom = pairOperations(history().write(0, 'k', 'a', 0, 1).read(2, 'k', 'q', 4, 5).build());
  const verdict = checkNoPhantomValues(phantom);
  t.equal(verdict.valid, false);
  t.equal(verdict.summary, 'phantom value on k: process 2 read q at 0.004 s, a value no operation wrote');
  const failed = pairOperations(history().cas(0, 'k', 'x', 'q', 0, 1, 'fail').read(2, 'k', 'q', 4, 5).build());
  t.match(checkNoPhantomValues(failed).summary, /only a failed cas by process 0 tried to write/);
  const otherKey = pairOperations(history().write(0, 'j', 'q', 0, 1).read(2, 'k', 'q', 4, 5).build());
  t.equal(checkNoPhantomValues(otherKey).valid, false, 'written to another key does not count');
});

t.test('recovery time: fault start to the next acknowledged write, and to a new leader', async (t) => {
  const operations = pairOperations(history().write(0, 'k', 'a', 5, 6).write(0, 'k', 'b', 10, 150).write(1, 'k', 'c', 20, 30, 'fail').write(2, 'k', 'd', 160, 170).build());
  const facts: RunFacts = { faultWindows: [window('kill-leader-1', 10, 100)], leaderChanges: [{ timeNs: 1 * ms, leader: 'raft-0' }, { timeNs: 120 * ms, leader: 'raft-1', term: 3 }], limits: { recoveryMsMax: 200 } };
  const verdict = checkRecoveryTime(operations, facts);
  t.equal(verdict.valid, true, verdict.summary);
  t.match(verdict.evidence, { windows: [{ window: 'kill-leader-1', writeRecoveryMs: 140, leaderRecoveryMs: 110 }] });
  const strict = checkRecoveryTime(operations, { ...facts, limits: { recoveryMsMax: 120 } });
  t.equal(strict.valid, false);
  t.equal(strict.summary, 'fault kill-leader-1: the next acknowledged write came 140 ms after it began, a new leader after 110 ms; the limit is 120 ms');
  const never = checkRecoveryTime(pairOperations(history().write(0, 'k', 'a', 5, 6).build()), facts);
  t.equal(never.valid, false);
  t.match(never.summary, /no write was acknowledged after it began/);
});

t.test('availability per fault window', async (t) => {
  const operations = pairOperations(history().read(0, 'k', null, 11, 12).write(1, 'k', 'a', 12, 20, 'info').write(2, 'k', 'b', 13, 14, 'fail').read(3, 'k', null, 15, 16).read(3, 'k', null, 200, 201).build());
  const verdict = checkAvailability(operations, { faultWindows: [window('partition-1', 10, 100)] });
  t.equal(verdict.valid, true);
  t.match(verdict.evidence, { windows: [{ window: 'partition-1', ok: 2, total: 4, availability: 0.5 }] });
  t.equal(checkAvailability(operations, { faultWindows: [window('partition-1', 10, 100)], limits: { availabilityMin: 0.9 } }).valid, false);
});

t.test('vacuity: too little traffic around a fault is unknown', async (t) => {
  const operations = pairOperations(history().write(0, 'k', 'a', 0, 1).write(0, 'k', 'b', 2, 3).write(0, 'k', 'c', 200, 201).build());
  const facts: RunFacts = { faultWindows: [window('kill-1', 10, 100)], limits: { minOpsAroundFault: 2 } };
  const verdict = checkTrafficAroundFaults(operations, facts);
  t.equal(verdict.valid, 'unknown');
  t.match(verdict.summary, /too little traffic around fault kill-1: 2 operations completed before it and 1 after, fewer than 2/);
  t.equal(checkTrafficAroundFaults(operations, { ...facts, limits: { minOpsAroundFault: 1 } }).valid, true);
});

t.test('vacuity: overlapping faults (grow twice, heal both) count traffic before the first start and after the last end', async (t) => {
  const operations = pairOperations(history().write(0, 'k', 'a', 0, 1).write(0, 'k', 'b', 30, 31).write(0, 'k', 'c', 200, 201).build());
  const facts: RunFacts = { faultWindows: [window('grow-4', 10, 150), window('grow-5', 20, 100)], limits: { minOpsAroundFault: 1 } };
  const verdict = checkTrafficAroundFaults(operations, facts);
  t.equal(verdict.valid, true, verdict.summary);
  t.match(verdict.evidence, { windows: [{ window: 'grow-4', before: 1, after: 1 }, { window: 'grow-5', before: 1, after: 1 }] });
});

t.test('vacuity: a fault that did not take effect is not ok, with the evidence', async (t) => {
  const killed = window('kill-1', 10, 100, { fault: 'kill', evidence: { instanceBefore: { 'raft-0': 'pid 41' }, instanceAfter: { 'raft-0': 'pid 41' } } });
  const verdict = checkFaultTookEffect({ faultWindows: [killed] });
  t.equal(verdict.valid, false);
  t.equal(verdict.summary, 'fault kill-1 did not take effect: raft-0 is still instance pid 41');
  t.match(verdict.evidence, { instanceBefore: { 'raft-0': 'pid 41' } });
  const restarted = window('kill-1', 10, 100, { evidence: { instanceBefore: { 'raft-0': 'pid 41' }, instanceAfter: { 'raft-0': 'pid 77' } } });
  t.equal(checkFaultTookEffect({ faultWindows: [restarted] }).valid, true);
  const paused = window('pause-1', 10, 100, { evidence: { answeredWhilePaused: ['raft-0'] } });
  t.match(checkFaultTookEffect({ faultWindows: [paused] }).summary, /raft-0 answered while paused/);
  const noElection = window('isolate-leader', 10, 100, { evidence: { termBefore: 4, termAfter: 4 } });
  t.match(checkFaultTookEffect({ faultWindows: [noElection] }).summary, /the term stayed at 4/);
});

t.test('fault-took-effect: a fault that reached no node, or a link fault that touched no link, did not take effect', async (t) => {
  const lonely = window('isolate-1', 10, 100, { fault: 'isolate', evidence: { links: [] } });
  const verdict = checkFaultTookEffect({ faultWindows: [lonely] });
  t.equal(verdict.valid, false);
  t.equal(verdict.summary, 'fault isolate-1 did not take effect: it cut or shaped no link: raft-0 has no peer link to act on in this cluster (too few nodes for this isolate fault)');
  const nobody = window('partition-1', 10, 100, { fault: 'partition', targets: [] });
  t.equal(checkFaultTookEffect({ faultWindows: [nobody] }).summary, 'fault partition-1 did not take effect: it resolved to no target');
  const cut = window('isolate-1', 10, 100, { fault: 'isolate', evidence: { links: ['raft-0>raft-1'] } });
  t.equal(checkFaultTookEffect({ faultWindows: [cut] }).valid, true);
});

t.test('checkHistory composes: false beats unknown beats true', async (t) => {
  const events = history().write(0, 'k', 'a', 0, 1).write(0, 'k', 'b', 2, 3).read(1, 'k', 'b', 150, 151).build();
  const plain = await checkHistory(events, undefined, { budgetMs: 5_000 });
  t.equal(plain.valid, true);
  t.same(plain.verdicts.map((verdict) => verdict.check), ['linearizable', 'no-phantom-values']);
  const thin = await checkHistory(events, { faultWindows: [window('kill-1', 10, 100)], finalReadsStartNs: 140 * ms, limits: { minOpsAroundFault: 5 } }, { budgetMs: 5_000 });
  t.equal(thin.valid, 'unknown');
  t.same(thin.verdicts.map((verdict) => verdict.check), ['linearizable', 'no-phantom-values', 'no-lost-writes', 'traffic-around-faults', 'fault-took-effect', 'recovery-time', 'availability']);
  const stale = history().write(0, 'k', 'a', 0, 1).write(0, 'k', 'b', 2, 3).read(1, 'k', 'a', 150, 151).build();
  t.equal((await checkHistory(stale, { faultWindows: [window('kill-1', 10, 100)], limits: { minOpsAroundFault: 5 } }, { budgetMs: 5_000 })).valid, false);
});

t.test('fault-took-effect: a membership change must show in the configuration it was acknowledged with', async (t) => {
  const grown = window('grow-1', 10, 100, { fault: 'grow', targets: ['raft-3'], evidence: { addedVoters: ['raft-3'], votersAfterAdd: ['raft-0', 'raft-1', 'raft-2'] } });
  t.match(checkFaultTookEffect({ faultWindows: [grown] }).summary, /raft-3 was not a voter of the configuration add-member was acknowledged with \(raft-0, raft-1, raft-2\)/);
  const shrunk = window('shrink-1', 10, 100, { fault: 'shrink', evidence: { removedVoters: ['raft-0'], votersAfterRemove: ['raft-0', 'raft-1'] } });
  t.match(checkFaultTookEffect({ faultWindows: [shrunk] }).summary, /raft-0 was still a voter/);
  const replaced = window('replace-1', 10, 100, { fault: 'replace', evidence: { removedVoters: ['raft-0'], votersAfterRemove: ['raft-1', 'raft-2'], addedVoters: ['raft-0'], votersAfterAdd: ['raft-0', 'raft-1', 'raft-2'] } });
  t.equal(checkFaultTookEffect({ faultWindows: [replaced] }).valid, true);
});
