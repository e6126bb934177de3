// Converts the server's millisecond settings into the core's tick-based configuration.

import type { CoreConfig } from '../core/types.js';
import { seededRandom } from './seeded-random.js';
import { formatAddress, type ServerConfig } from './server-config.js';

export function toCoreConfig(config: ServerConfig, seed: number): CoreConfig {
  const ticks = (milliseconds: number): number => Math.max(1, Math.ceil(milliseconds / config.tickMs));
  return {
    id: config.id,
    peers: config.members.filter((peer) => peer !== config.id),
    joining: config.join,
    addresses: Object.fromEntries(config.members.map((name) => [name, formatAddress(config.peers.get(name)!)])),
    electionTimeoutTicksMin: ticks(config.electionTimeoutMsMin),
    electionTimeoutTicksMax: ticks(config.electionTimeoutMsMax),
    heartbeatIntervalTicks: ticks(config.heartbeatMs),
    requestTimeoutTicks: ticks(config.requestTimeoutMs),
    maxEntriesPerMessage: config.maxEntriesPerMessage,
    snapshotThresholdEntries: config.snapshotThresholdEntries,
    // The leader writes its log while the followers do (Raft thesis §10.2.1); see effect-batcher.ts.
    appendInParallel: true,
    bugs: {
      staleReads: config.bugs.staleReads,
      ackBeforeCommit: config.bugs.ackBeforeCommit,
      doubleVote: config.bugs.doubleVote,
      commitOldTermByCounting: config.bugs.commitOldTerm,
      unsafeMembershipChanges: config.bugs.unsafeMembership,
    },
    random: seededRandom(seed, config.id),
  };
}
