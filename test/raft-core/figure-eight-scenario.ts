// The Raft paper's figure 8, scripted on five simulated nodes: an entry of an old term reaches
// a majority under a later leader, which crashes before an entry of its own term does; a node
// with a later-term entry at that index then wins and overwrites it. Correct Raft never commits
// the old entry by counting replicas, so nothing committed is lost.
import type { CoreBugModes, RaftMessage } from '../../raft/core/types.js';
import { noBugs, type SimCluster } from '../../raft/core/testing/sim-cluster.js';
import { electLeader, newCluster } from './helpers.js';

export interface FigureEightOutcome {
  cluster: SimCluster;
  /** n1's commit index right after the old-term entry reached a majority (before n1 crashed). */
  commitIndexWithOldEntryOnMajority: number;
  /** Nodes holding (index 2, term 1) at that moment. */
  holdersOfOldEntry: string[];
  /** Term of index 2 on n3 at the end. */
  finalTermAtIndexTwo: number | undefined;
  /** The `leader first commit` log events of every node, as the server would log them. */
  firstCommitLogLines: Record<string, string>;
}

export function runFigureEight(bugs: Partial<CoreBugModes> = {}): FigureEightOutcome {
  const cluster = newCluster(5, { maxEntriesPerMessage: 1, bugs: { ...noBugs, ...bugs } });
  const firstCommitLogLines: Record<string, string> = {};
  cluster.onEffects = (node, effects) => {
    for (const effect of effects) {
      if (effect.type !== 'log' || effect.event !== 'leader first commit') continue;
      firstCommitLogLines[node] = (firstCommitLogLines[node] ?? '') + `${JSON.stringify({ event: 'leader-first-commit', ...effect.fields })}\n`;
    }
  };
  // (a) n1 leads term 1 and replicates index 2 only to n2.
  electLeader(cluster, 'n1');
  cluster.partition(['n1', 'n2']);
  cluster.request('n1', { op: 'put', key: 'k', value: 'from-term-1' });
  cluster.deliverAll();
  // (b) n5 leads term 2 with votes from n3 and n4, appends index 2 locally only, then crashes.
  cluster.heal();
  cluster.partition(['n1', 'n2']);
  cluster.tick('n5', 20);
  deliverAllExcept(cluster, (message) => message.type === 'AppendEntries' && message.from === 'n5');
  if (cluster.status('n5').role !== 'leader') throw new Error('figure 8 setup: n5 did not win term 2');
  cluster.crash('n5');
  cluster.inFlight = [];
  // (c) n1 leads term 3 (votes n2, n3, n4; its first try in term 2 fails); index 2 reaches n3, but its own noop (index 3) does not.
  cluster.heal();
  cluster.isolate('n5');
  cluster.crash('n1');
  cluster.restart('n1');
  // n3 may refuse the first AppendEntries (it lacks index 2); once it holds index 2, index 3 is lost on the way.
  const carriesIndexThree = (message: RaftMessage): boolean =>
    message.type === 'AppendEntries' &&
    message.to === 'n3' &&
    cluster.status('n3').lastLogIndex >= 2 &&
    message.entries.some((entry) => entry.index === 3);
  const n4Catches = (message: RaftMessage): boolean => message.type === 'AppendEntries' && message.to === 'n4' && message.entries.length > 0;
  for (let attempt = 0; attempt < 5 && cluster.status('n1').role !== 'leader'; attempt += 1) {
    const term = cluster.status('n1').term;
    for (let tick = 0; tick < 40 && cluster.status('n1').term === term; tick += 1) cluster.tick('n1');
    deliverAllExcept(cluster, (message) => carriesIndexThree(message) || n4Catches(message));
  }
  if (cluster.status('n1').role !== 'leader') throw new Error('figure 8 setup: n1 did not win term 3');
  const commitIndexWithOldEntryOnMajority = cluster.status('n1').commitIndex;
  const holdersOfOldEntry = cluster.ids.filter((id) => cluster.storage(id).entries.some((entry) => entry.index === 2 && entry.term === 1));
  // (d) n1 crashes; n5 comes back and wins with n3 and n4, whose last entry (term 1) is older than its own (term 2).
  cluster.crash('n1');
  cluster.restart('n5');
  cluster.heal();
  for (let tick = 0; tick < 200 && cluster.status('n5').role !== 'leader'; tick += 1) {
    cluster.tick('n5');
    cluster.deliverAll();
  }
  cluster.tick('n5', cluster.config.heartbeatIntervalTicks);
  cluster.deliverAll();
  const finalEntry = cluster.storage('n3').entries.find((entry) => entry.index === 2);
  return { cluster, commitIndexWithOldEntryOnMajority, holdersOfOldEntry, finalTermAtIndexTwo: finalEntry?.term, firstCommitLogLines };
}

function deliverAllExcept(cluster: SimCluster, lost: (message: RaftMessage) => boolean): void {
  for (let delivered = 0; cluster.inFlight.length > 0 && delivered < 10_000; delivered += 1) {
    cluster.drop(lost);
    cluster.deliverAt(0);
  }
}
