// Shared helpers for the Raft core tests: a simulated cluster and small conveniences.
import type { Test } from 'tap';
import { createRaftCore, type RaftCore } from '../../raft/core/raft-core.js';
import { SimCluster, defaultSimConfig, noBugs, type SimConfig } from '../../raft/core/testing/sim-cluster.js';
import { createSeededRandom } from '../../raft/core/testing/seeded-random.js';
import type { CoreConfig, Effect, NodeId, RaftMessage, RecoveredState } from '../../raft/core/types.js';

export function newCluster(size = 3, config: Partial<SimConfig> = {}, seed = 1): SimCluster {
  return new SimCluster({ size, seed, config });
}

/** Let `id` time out and run the election to the end with every message delivered. */
export function electLeader(cluster: SimCluster, id: NodeId): void {
  for (let tick = 0; tick < cluster.config.electionTimeoutTicksMax && cluster.status(id).role === 'follower'; tick += 1) {
    cluster.tick(id);
  }
  cluster.deliverAll();
  if (cluster.status(id).role !== 'leader') {
    throw new Error(`test setup: ${id} did not win the election: ${JSON.stringify(cluster.status(id))}`);
  }
}

/** Tick the leader through one heartbeat interval and deliver everything. */
export function heartbeatRound(cluster: SimCluster, leader: NodeId): void {
  cluster.tick(leader, cluster.config.heartbeatIntervalTicks);
  cluster.deliverAll();
}

export function assertSafe(t: Test, cluster: SimCluster): void {
  t.same(cluster.checker.violations, [], 'the safety checker saw no violation');
}

export const emptyState: RecoveredState = { hardState: { term: 0, votedFor: null }, snapshot: null, entries: [] };

/** A lone core (outside any cluster) for tests that look at effects one by one. */
export function lonelyCore(id: NodeId, peers: NodeId[], overrides: Partial<CoreConfig> = {}, recovered = emptyState): RaftCore {
  const random = createSeededRandom(7);
  const config: CoreConfig = { ...defaultSimConfig, bugs: noBugs, id, peers, random: () => random.next(), ...overrides };
  return createRaftCore(config, recovered);
}

export function sent(effects: Effect[]): RaftMessage[] {
  return effects.flatMap((effect) => (effect.type === 'send' ? [effect.message] : []));
}

export function ofType<T extends Effect['type']>(effects: Effect[], type: T): Array<Extract<Effect, { type: T }>> {
  return effects.filter((effect): effect is Extract<Effect, { type: T }> => effect.type === type);
}

export function logEvents(effects: Effect[]): string[] {
  return ofType(effects, 'log').map((effect) => effect.event);
}
