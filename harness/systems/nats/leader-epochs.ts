// NATS 2.9 does not expose the Raft term of a stream's group, so the NATS status probe numbers
// leaderships itself: every time a node claims to lead the bucket's stream and it is not the
// node that last claimed it, a new epoch begins. A node's term is the epoch of the leader it
// names (the current epoch while it names none). The count only grows, and grows only on a
// leader change the probe saw: a re-election of the same leader between two probes is not
// counted.

import type { StatusFields } from '../../../raft/protocol/registry.js';

export class LeaderEpochs {
  #epoch = 0;
  #leader: string | undefined;
  readonly #epochOfLeader = new Map<string, number>();

  /** The status with its term replaced by the epoch of the leader it names. */
  observe(status: StatusFields): StatusFields {
    if (status.role === 'leader' && status.node !== this.#leader) {
      this.#epoch += 1;
      this.#leader = status.node;
      this.#epochOfLeader.set(status.node, this.#epoch);
    }
    const term = status.leader === null ? this.#epoch : (this.#epochOfLeader.get(status.leader) ?? 0);
    return { ...status, term };
  }
}
