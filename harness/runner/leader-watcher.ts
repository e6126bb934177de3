// Watches the agreed leader during a run (one status round every intervalMs) and records every
// change on the run clock, for the recovery-time check.

import { setTimeout as delay } from 'node:timers/promises';
import type { LeaderChange } from '../checkers/run-facts.js';
import { agreedLeader } from '../cluster-health/agreed-leader.js';
import type { StatusProbe } from '../cluster-health/status-snapshot.js';
import { takeStatusSnapshot } from '../cluster-health/take-status-snapshot.js';
import type { RunClock } from './run-clock.js';

export interface LeaderWatcher {
  readonly changes: readonly LeaderChange[];
  stop(): Promise<void>;
}

/** `nodes` is asked every round: membership faults add and remove nodes during the run. */
export function watchLeader(nodes: () => readonly string[], probe: StatusProbe, clock: RunClock, intervalMs = 250): LeaderWatcher {
  const changes: LeaderChange[] = [];
  const stopping = new AbortController();
  const loop = async () => {
    while (!stopping.signal.aborted) {
      const finding = agreedLeader(await takeStatusSnapshot(nodes(), probe, clock.nowMs));
      const last = changes.at(-1);
      if (finding.found && (last?.leader !== finding.leader || last.term !== finding.term)) {
        changes.push({ timeNs: clock.nowNs(), leader: finding.leader, term: finding.term });
      }
      await delay(intervalMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  };
  const running = loop().catch(() => undefined);
  return {
    changes,
    stop: async () => {
      stopping.abort();
      await running;
    },
  };
}
