// `npm run bench:grow`: how long growing a 4-node cluster of the reference server to 5 takes on
// the local platform, through the harness's own grow fault: from the launch of the spare (empty
// disk, RAFT_JOIN=true) to the acknowledgement of add-member, which the leader gives once the
// promotion to voter has committed, that is, once the new node votes. Split into the launch
// (process start until it listens) and the change (add-member until acknowledged). Each round
// heals (removes the node again) before the next. BENCH_REPEATS (default 5) rounds; BENCH_WRITES
// (default 2000) writes through the leader before the first round, so the learner has a log to
// catch up on.

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RaftClient } from '../raft/client/raft-client.js';
import { createClientStatusProbe } from '../harness/cluster-health/client-status-probe.js';
import { waitForLeader } from '../harness/cluster-health/wait-for-leader.js';
import { changeMembership, removeAndStop } from '../harness/faults/membership-change.js';
import { createLocalPlatform } from '../harness/platforms/local/create-local-platform.js';

const repeats = Number(process.env.BENCH_REPEATS ?? 5);
const writes = Number(process.env.BENCH_WRITES ?? 2000);
const serverEnv = { RAFT_ELECTION_TIMEOUT_MS_MIN: '300', RAFT_ELECTION_TIMEOUT_MS_MAX: '600', RAFT_HEARTBEAT_MS: '50' };

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const root = mkdtempSync(join(tmpdir(), 'raft-chaos-bench-grow-'));
const progress = () => undefined;
const cluster = await createLocalPlatform({ stateDir: join(root, 'state') }).start({
  runId: `bench-grow-${process.pid}`, nodes: ['raft-0', 'raft-1', 'raft-2', 'raft-3'], spareNodes: ['raft-4'], serverEnv, workDir: join(root, 'work'), restartDelayMs: 500,
});
const status = createClientStatusProbe(() => Object.fromEntries(cluster.nodes.map((node) => [node, cluster.clientAddress(node)])), 1000);
try {
  const leader = await waitForLeader({ nodes: cluster.nodes, probe: status.probe, timeoutMs: 30_000, progress });
  if (!leader.found) throw new Error(`no leader: ${leader.reason}`);
  const client = new RaftClient({ addresses: Object.fromEntries(cluster.nodes.map((node) => [node, cluster.clientAddress(node)])), requestTimeoutMs: 5000 });
  for (let write = 0; write < writes; write += 1) await client.put(`k${write % 50}`, String(write));
  client.close();
  const context = { cluster, healTimeoutMs: 60_000, progress };
  const launches: number[] = [];
  const changes: number[] = [];
  for (let round = 1; round <= repeats; round += 1) {
    const startMs = performance.now();
    await cluster.launchJoining('raft-4');
    const launchedMs = performance.now();
    await changeMembership(context, { kind: 'add', node: 'raft-4' });
    const votingMs = performance.now();
    launches.push(launchedMs - startMs);
    changes.push(votingMs - launchedMs);
    console.log(`round ${round}: launch ${Math.round(launchedMs - startMs)} ms, add-member to voter ${Math.round(votingMs - launchedMs)} ms, total ${Math.round(votingMs - startMs)} ms`);
    await removeAndStop(context, ['raft-4']);
  }
  const totals = launches.map((launch, index) => launch + changes[index]!);
  console.log(`4 -> 5 nodes, ${writes} writes in the log, ${repeats} rounds, load average ${loadavg()[0]!.toFixed(1)}: median launch ${Math.round(median(launches))} ms, median add-member to voter ${Math.round(median(changes))} ms, median total ${Math.round(median(totals))} ms (min ${Math.round(Math.min(...totals))}, max ${Math.round(Math.max(...totals))})`);
} finally {
  status.close();
  await cluster.teardown();
  rmSync(root, { recursive: true, force: true });
}
