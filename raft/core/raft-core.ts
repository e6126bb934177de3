// The pure Raft core: createRaftCore(config, recovered) returns a deterministic state machine
// whose step(input) returns the effects for the shell to carry out (order: see types.ts).
// Same config (including the random source's seed), recovered state and inputs give the same
// effects; no I/O, timers, Date or Math.random.
import type { StatusFields } from '../protocol/registry.js';
import { RaftNode } from './raft-node.js';
import type { CoreConfig, Effect, Input, RecoveredState } from './types.js';

export interface RaftCore {
  /** Feed one input (tick, peer message, client request); returns the effects to carry out. */
  step(input: Input): Effect[];
  /** This node's view, as the `status` operation reports it. */
  status(): StatusFields;
}

export function createRaftCore(config: CoreConfig, recovered: RecoveredState): RaftCore {
  const node = new RaftNode(config, recovered);
  return {
    step: (input) => node.step(input),
    status: () => node.status(),
  };
}
