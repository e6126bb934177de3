// Raft §5.4.2: a leader commits only entries of its current term by counting replicas.
import t from 'tap';
import { checkLeaderCommitRule } from '../../harness/checkers/leader-commit-rule-checker.js';
import { runFigureEight } from './figure-eight-scenario.js';

t.test('an entry of an earlier term on a majority is not committed by counting (figure 8)', async (t) => {
  const outcome = runFigureEight();
  t.same(outcome.holdersOfOldEntry, ['n1', 'n2', 'n3'], '(index 2, term 1) is on a majority under n1, leader of term 3');
  t.equal(outcome.commitIndexWithOldEntryOnMajority, 0, 'n1 (restarted, commit unknown) did not commit it by counting');
  t.equal(outcome.cluster.status('n5').role, 'leader', 'n5 won term 4 with n3 and n4');
  t.equal(outcome.finalTermAtIndexTwo, 2, "n5's entry replaced the uncommitted one: allowed, it was never committed");
  t.same(outcome.cluster.checker.violations, [], 'no safety property was violated');
  t.equal(checkLeaderCommitRule(outcome.firstCommitLogLines)?.valid, true, "every leader's first commit, as logged, is of its own term");
});

t.test('the commitOldTermByCounting bug mode commits it and loses it (the checker sees it)', async (t) => {
  const outcome = runFigureEight({ commitOldTermByCounting: true });
  t.same(outcome.holdersOfOldEntry, ['n1', 'n2', 'n3']);
  t.equal(outcome.commitIndexWithOldEntryOnMajority, 2, 'the buggy leader committed index 2 of term 1 by counting');
  t.ok(outcome.cluster.checker.violations.length > 0, 'the safety checker reports the lost committed entry');
  t.match(outcome.cluster.checker.violations[0], /leader completeness|state machine safety|acknowledged write lost/);
  const rule = checkLeaderCommitRule(outcome.firstCommitLogLines);
  t.equal(rule?.valid, false, 'the harness check on the logged first commits catches it');
  t.match(rule?.summary, /n1, leader of term 3, committed index 2, an entry of term 1, by counting replicas/);
});
