// The leader's membership-change rules (Raft thesis §4.1 and Ongaro's 2015 correction): a leader
// starts a configuration change only once the previous one is committed, and only once it has
// committed an entry of its own term. Broken, two configurations without a common majority can
// both commit, which a client history shows only under a rare partition: so the rules are read
// from the nodes' own logs, as the leader's commit rule is. Pure: node name -> log text in, a
// Verdict out. It understands the reference server's `membership-change-appended` lines (with
// the commit index, the previous configuration's index and the leader's first index of its term
// at the moment of the append); a log with no such line gives an undefined result (the check does
// not apply), not a pass.

import { recordsOf } from './node-log-lines.js';
import type { Verdict } from './verdict.js';

export const membershipChangeRuleCheck = 'membership-change-rule';

const appendedEvent: ReadonlySet<string> = new Set(['membership-change-appended']);

export interface AppendedChange {
  node: string;
  term: number;
  index: number;
  commitIndex: number;
  previousConfigurationIndex: number;
  termStartIndex: number;
  log: string;
  line: number;
}

/** Every `membership-change-appended` line of one node's log that carries the rule's fields, in log order. */
export function appendedChanges(log: string, logText: string): AppendedChange[] {
  return recordsOf(logText, appendedEvent).flatMap(({ record, line }) => {
    const { term, index, commitIndex, previousConfigurationIndex, termStartIndex } = record;
    if (![term, index, commitIndex, previousConfigurationIndex, termStartIndex].every((value) => typeof value === 'number')) return [];
    const node = typeof record.node === 'string' ? record.node : log;
    return [{ node, term, index, commitIndex, previousConfigurationIndex, termStartIndex, log, line } as AppendedChange];
  });
}

/** Why the change broke a rule, or undefined when it kept both. */
export function brokenRule(change: AppendedChange): string | undefined {
  if (change.previousConfigurationIndex > change.commitIndex) {
    return `while the configuration at index ${change.previousConfigurationIndex} was uncommitted (commit index ${change.commitIndex})`;
  }
  if (change.commitIndex < change.termStartIndex) {
    return `before committing an entry of its own term (its term starts at index ${change.termStartIndex}, commit index ${change.commitIndex})`;
  }
  return undefined;
}

/** The verdict over every node's log; undefined when no log has a `membership-change-appended` line. */
export function checkMembershipChangeRule(logs: Readonly<Record<string, string>>): Verdict | undefined {
  const changes = Object.entries(logs).flatMap(([log, text]) => appendedChanges(log, text));
  if (changes.length === 0) return undefined;
  const broken = changes.flatMap((change) => {
    const reason = brokenRule(change);
    return reason === undefined ? [] : [{ ...change, reason }];
  });
  if (broken.length === 0) {
    return { check: membershipChangeRuleCheck, valid: true, summary: `${changes.length} membership changes each started with the previous one committed and the leader's own term committed` };
  }
  const first = broken[0]!;
  const more = broken.length > 1 ? `; ${broken.length - 1} more ${broken.length === 2 ? 'change' : 'changes'} did the same` : '';
  return {
    check: membershipChangeRuleCheck,
    valid: false,
    summary:
      `${first.node}, leader of term ${first.term}, appended a membership change at index ${first.index} ${first.reason} ` +
      `(log ${first.log}, line ${first.line}): one change at a time, and only after the leader's own term has committed (Raft thesis §4.1, Ongaro 2015)${more}`,
    evidence: { violations: broken },
  };
}
