// The pure Raft core: createRaftCore(config, recovered) returns a deterministic state machine
// whose step(input) returns the effects for the shell to carry out (order: see types.ts).
import type { StatusFields } from '../protocol/registry.js';
import type { CoreConfig, Effect, Input, RecoveredState } from './types.js';

export interface RaftCore {
  /** Feed one input (tick, peer message, client request); returns the effects to carry out. */
  step(input: Input): Effect[];
  /** This node's view, as the `status` operation reports it. */
  status(): StatusFields;
}

export function createRaftCore(config: CoreConfig, recovered: RecoveredState): RaftCore {
  const term = recovered.hardState.term;
  const lastIncludedIndex = recovered.snapshot?.lastIncludedIndex ?? 0;
  const lastLogIndex = recovered.entries.at(-1)?.index ?? lastIncludedIndex;
  return {
    step: () => [],
    status: () => ({
      node: config.id,
      role: 'follower',
      term,
      leader: null,
      commitIndex: lastIncludedIndex,
      lastApplied: lastIncludedIndex,
      lastLogIndex,
    }),
  };
}
