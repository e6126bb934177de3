// Election safety (Raft §5.2): at most one node wins each term. Read from the nodes' own logs,
// not the history: two leaders of one term may never both answer clients, so the history can
// miss what the logs show. Pure: node name -> log text in, a Verdict out. It understands the
// reference server's JSON lines (`became-leader` / `election-won` with a `term`); a log with no
// such line gives an unknown verdict, not a pass.

import { recordsOf } from './node-log-lines.js';
import type { Verdict } from './verdict.js';

export const oneLeaderPerTermCheck = 'one-leader-per-term';

const leaderEvents = new Set(['became-leader', 'election-won']);

export interface LeaderClaim {
  node: string;
  term: number;
  /** The log line's own time stamp, when it has one. */
  time?: string;
  /** The log it was read from (the key of the logs given), and its 1-based line number there. */
  log: string;
  line: number;
}

/** Every line of one node's log that says the node became leader, in log order. */
export function leaderClaims(log: string, logText: string): LeaderClaim[] {
  return recordsOf(logText, leaderEvents).flatMap(({ record, line }) => {
    if (typeof record.term !== 'number') return [];
    const node = typeof record.node === 'string' ? record.node : log;
    return [{ node, term: record.term, log, line, ...(typeof record.time === 'string' ? { time: record.time } : {}) }];
  });
}

/** The first claim of each node in each term, grouped by term. */
function claimsByTerm(logs: Readonly<Record<string, string>>): Map<number, LeaderClaim[]> {
  const byTerm = new Map<number, LeaderClaim[]>();
  for (const [log, text] of Object.entries(logs)) {
    for (const claim of leaderClaims(log, text)) {
      const claims = byTerm.get(claim.term) ?? [];
      if (!claims.some((other) => other.node === claim.node)) claims.push(claim);
      byTerm.set(claim.term, claims);
    }
  }
  return byTerm;
}

export function checkOneLeaderPerTerm(logs: Readonly<Record<string, string>>): Verdict {
  const byTerm = claimsByTerm(logs);
  const nodes = Object.keys(logs).length;
  if (byTerm.size === 0) {
    return { check: oneLeaderPerTermCheck, valid: 'unknown', summary: `no leader election found in the logs of ${nodes} nodes (no became-leader or election-won line with a term)` };
  }
  const contested = [...byTerm.entries()].filter(([, claims]) => claims.length > 1).sort(([a], [b]) => a - b);
  if (contested.length === 0) {
    return { check: oneLeaderPerTermCheck, valid: true, summary: `${byTerm.size} terms with a leader, one leader each (logs of ${nodes} nodes)` };
  }
  const [term, unordered] = contested[0]!;
  const claims = [...unordered].sort(byTime);
  const more = contested.length > 1 ? `; ${contested.length - 1} more terms had several leaders` : '';
  return {
    check: oneLeaderPerTermCheck,
    valid: false,
    summary: `${claims.length} leaders in term ${term}: ${claims.map(describeClaim).join(' and ')}${more}`,
    evidence: { term, leaders: claims, contestedTerms: contested.map(([contestedTerm]) => contestedTerm) },
  };
}

/** Earliest first when both lines carry a time stamp (ISO 8601 sorts as text); else as found. */
function byTime(left: LeaderClaim, right: LeaderClaim): number {
  if (left.time === undefined || right.time === undefined) return 0;
  return left.time < right.time ? -1 : left.time > right.time ? 1 : 0;
}

function describeClaim(claim: LeaderClaim): string {
  const time = claim.time === undefined ? '' : ` at ${claim.time}`;
  return `${claim.node}${time} (log ${claim.log}, line ${claim.line})`;
}
