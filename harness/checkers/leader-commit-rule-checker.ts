// The leader's commit rule (Raft §5.4.2): a leader counts replicas only to commit entries of its
// own term; entries of earlier terms commit with them, never by themselves. Breaking it lets an
// entry count as committed and then be overwritten (the Raft paper's figure 8), which a client
// history rarely shows: so it is read from the nodes' own logs. Pure: node name -> log text in, a
// Verdict out. It understands the reference server's `leader-first-commit` lines (the first
// index a leader commits in its term, with that entry's term); a log with no such line gives an
// undefined result (the check does not apply), not a pass.

import { recordsOf } from './node-log-lines.js';
import type { Verdict } from './verdict.js';

export const leaderCommitRuleCheck = 'leader-commit-rule';

const firstCommitEvent: ReadonlySet<string> = new Set(['leader-first-commit']);

export interface FirstCommit {
  node: string;
  /** The leader's term. */
  term: number;
  /** The first index it committed as leader of that term, and that entry's term. */
  index: number;
  entryTerm: number;
  time?: string;
  log: string;
  line: number;
}

/** Every `leader-first-commit` line of one node's log, in log order. */
export function firstCommits(log: string, logText: string): FirstCommit[] {
  return recordsOf(logText, firstCommitEvent).flatMap(({ record, line }) => {
    const { term, index, entryTerm } = record;
    if (typeof term !== 'number' || typeof index !== 'number' || typeof entryTerm !== 'number') return [];
    const node = typeof record.node === 'string' ? record.node : log;
    return [{ node, term, index, entryTerm, log, line, ...(typeof record.time === 'string' ? { time: record.time } : {}) }];
  });
}

/** The verdict over every node's log; undefined when no log has a `leader-first-commit` line. */
export function checkLeaderCommitRule(logs: Readonly<Record<string, string>>): Verdict | undefined {
  const commits = Object.entries(logs).flatMap(([log, text]) => firstCommits(log, text));
  if (commits.length === 0) return undefined;
  const broken = commits.filter((commit) => commit.entryTerm !== commit.term);
  if (broken.length === 0) {
    return { check: leaderCommitRuleCheck, valid: true, summary: `${commits.length} leaders each first committed an entry of their own term` };
  }
  const first = broken[0]!;
  const more = broken.length > 1 ? `; ${broken.length - 1} more ${broken.length === 2 ? 'leader' : 'leaders'} did the same` : '';
  return {
    check: leaderCommitRuleCheck,
    valid: false,
    summary:
      `${first.node}, leader of term ${first.term}, committed index ${first.index}, an entry of term ${first.entryTerm}, by counting replicas ` +
      `(log ${first.log}, line ${first.line}): only entries of the leader's own term may be committed that way (Raft §5.4.2, figure 8)${more}`,
    evidence: { violations: broken },
  };
}
