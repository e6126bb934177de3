// Checks read from node logs, for servers that log as the reference server does: election safety
// (one leader per term), the leader's commit rule and its membership-change rules. `logs` maps a log's name (e.g. raft-0.log)
// to its text. A check whose lines no log has does not apply and gives no verdict.

import { checkLeaderCommitRule } from './leader-commit-rule-checker.js';
import { checkMembershipChangeRule } from './membership-change-rule-checker.js';
import { checkOneLeaderPerTerm, leaderClaims } from './one-leader-per-term-checker.js';
import type { Verdict } from './verdict.js';

export function checkNodeLogTexts(logs: Readonly<Record<string, string>>): Verdict[] {
  const verdicts: Verdict[] = [];
  const anyClaim = Object.entries(logs).some(([name, text]) => leaderClaims(name, text).length > 0);
  if (anyClaim) verdicts.push(checkOneLeaderPerTerm(logs));
  const commitRule = checkLeaderCommitRule(logs);
  if (commitRule !== undefined) verdicts.push(commitRule);
  const membershipRule = checkMembershipChangeRule(logs);
  if (membershipRule !== undefined) verdicts.push(membershipRule);
  return verdicts;
}
