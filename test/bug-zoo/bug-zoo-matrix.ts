// The bug zoo: every bug mode of the reference server, the scenario in test/fixtures/bug-zoo/
// that exposes it, a seed for which it does, and the anomaly the checkers must report.

import { loopDisksUnavailableReason } from '../../harness/platforms/local/loop-disk-support.js';

export interface ExpectedAnomaly {
  /** Any of these checks failing (valid false) with a summary matching `summary` counts; the first listed is reported. */
  checks: string[];
  summary: RegExp;
}

export interface BugZooEntry {
  /** The bug mode's name, also the scenario file's name. */
  bug: string;
  /** The RAFT_BUG_* variable the scenario sets. */
  variable: string;
  seed: number;
  expected: ExpectedAnomaly;
  /** Set when no scenario can make the history checkers see the mode here: why, in one line. */
  notDetectable?: string;
  /** Why this machine cannot run the scenario (both with and without the mode), or undefined when it can. */
  unavailableHere?: () => string | undefined;
}

export const bugZooMatrix: readonly BugZooEntry[] = [
  {
    bug: 'stale-reads',
    variable: 'RAFT_BUG_STALE_READS',
    seed: 1,
    expected: { checks: ['linearizable'], summary: /stale read/ },
  },
  {
    bug: 'ack-before-commit',
    variable: 'RAFT_BUG_ACK_BEFORE_COMMIT',
    seed: 1,
    expected: { checks: ['no-lost-writes'], summary: /lost write/ },
  },
  {
    bug: 'forget-state',
    variable: 'RAFT_BUG_FORGET_STATE',
    seed: 1,
    expected: { checks: ['linearizable', 'no-lost-writes'], summary: /stale read|lost write/ },
  },
  {
    bug: 'double-vote',
    variable: 'RAFT_BUG_DOUBLE_VOTE',
    seed: 1,
    // Usually linearizable fails; when the nodes start so close together that the very first
    // election is contested, two leaders win term 1 and the run stops before any fault, with
    // the election-safety check (node logs) and the health checks (status answers) naming them.
    expected: {
      checks: ['linearizable', 'no-lost-writes', 'one-leader-per-term', 'leader-elected', 'healthy', 'healthy-after-heal'],
      summary: /stale read|lost write|cannot be linearized|both replaced|leaders in term/,
    },
  },
  {
    bug: 'commit-old-term',
    variable: 'RAFT_BUG_COMMIT_OLD_TERM',
    seed: 1,
    // Clients never see the early commit, so the history checks pass; the node logs show it.
    expected: { checks: ['leader-commit-rule'], summary: /committed index \d+, an entry of term \d+, by counting replicas/ },
  },
  {
    bug: 'no-fsync',
    variable: 'RAFT_BUG_NO_FSYNC',
    seed: 1,
    // A whole-cluster power cut (the power-loss fault) leaves every node with an empty disk.
    expected: { checks: ['no-lost-writes', 'linearizable'], summary: /lost write|stale read/ },
    unavailableHere: loopDisksUnavailableReason,
  },
  {
    bug: 'unsafe-membership',
    variable: 'RAFT_BUG_UNSAFE_MEMBERSHIP',
    seed: 1,
    // A split across two configurations is too rare to count on (10 of 10 runs of the scenario
    // kept every history check); the shrink of two nodes at once makes the leader start the second
    // removal before the first is committed, which the node logs show.
    expected: {
      checks: ['membership-change-rule', 'no-lost-writes', 'linearizable', 'one-leader-per-term', 'final-configuration'],
      summary: /appended a membership change at index \d+ (while the configuration|before committing)|lost write|stale read|leaders in term|not every node holds/,
    },
  },
];
