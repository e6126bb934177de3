import t from 'tap';
import { runFactsFromTimeline } from '../../harness/runner/run-facts-from-timeline.js';

const checks = { linearizable: true, noLostWrites: true, noPhantomValues: true, minOpsAroundFault: 4, healthyAfterMsMax: 1000, checkerBudgetMs: 1000, recoveryMsMax: 5000 };

t.test('fault records become fault windows with the evidence the checkers judge', async (t) => {
  const facts = runFactsFromTimeline({
    records: [
      { id: 'k', fault: 'kill', targets: ['n1'], source: 's', startNs: 10, startEvidence: { instanceBefore: { n1: '100' }, termBefore: 2 }, healNs: 20, healEvidence: { instanceAfter: { n1: '101' }, termAfter: 3 } },
      { id: 'p', fault: 'pause', targets: ['n2'], source: 's', startNs: 30, startEvidence: { answeredWhilePaused: [], silence: {} } },
      { id: 's', fault: 'slow-links', targets: ['n0'], source: 's', startNs: 40, startEvidence: { shape: {}, linksShaped: ['n0>n1', 'n1>n0'] }, healNs: 45, healEvidence: { restored: 2 } },
      { id: 'c', fault: 'isolate', targets: ['n0'], source: 's', startNs: 50, startEvidence: { linksCut: [] }, healNs: 55, healEvidence: { linksRestored: 0 } },
    ],
    endNs: 99,
    finalReadsStartNs: 90,
    leaderChanges: [{ timeNs: 15, leader: 'n0', term: 3 }],
    checks,
  });
  t.same(facts.faultWindows[0], { name: 'k', fault: 'kill', startNs: 10, endNs: 20, targets: ['n1'], evidence: { instanceBefore: { n1: '100' }, instanceAfter: { n1: '101' }, termBefore: 2, termAfter: 3 } });
  t.same(facts.faultWindows[1], { name: 'p', fault: 'pause', startNs: 30, endNs: 99, targets: ['n2'], evidence: { answeredWhilePaused: [] } }, 'an unhealed fault lasts until the end');
  t.same(facts.faultWindows[2]?.evidence, { links: ['n0>n1', 'n1>n0'] }, 'link shaping: the links shaped');
  t.same(facts.faultWindows[3]?.evidence, { links: [] }, 'a cut of no link is recorded, for the vacuity guard');
  t.equal(facts.finalReadsStartNs, 90);
  t.same(facts.limits, { minOpsAroundFault: 4, recoveryMsMax: 5000 });
  t.equal(facts.leaderChanges?.length, 1);
});

t.test('a term before without a term after is not judged', async (t) => {
  const facts = runFactsFromTimeline({ records: [{ id: 'i', fault: 'isolate', targets: ['n0'], source: 's', startNs: 1, startEvidence: { termBefore: 4 } }], endNs: 5, leaderChanges: [], checks });
  t.equal(facts.faultWindows[0]?.evidence, undefined);
  t.equal(facts.finalReadsStartNs, undefined);
});
