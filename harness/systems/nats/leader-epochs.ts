// NATS 2.9 does not expose the Raft term of a stream's group, so the NATS status probe numbers
// leaderships itself. A leadership is a node claiming to lead the bucket's stream together with
// that node's server id, which NATS draws anew at every start: a leader that restarts and leads
// again holds a new leadership, since a restarted server begins as a follower and must win a new
// election (a killed leader that wins back its place before the probe sees anyone else is still
// a new epoch). Every leadership that is not the one last seen begins a new epoch. A node's term
// is the epoch of the leader it names (the current epoch while it names none). The count only
// grows, and grows only on a change the probe saw: a re-election of the same running server
// between two probes is not counted.

import type { StatusFields } from '../../../raft/protocol/registry.js';

export class LeaderEpochs {
  #epoch = 0;
  #leadership: string | undefined;
  readonly #epochOfLeader = new Map<string, number>();

  /** The status (with the server id of the server that reported it) with its term replaced by the epoch of the leader it names. */
  observe(status: StatusFields, serverId: string): StatusFields {
    const leadership = `${status.node}\u0000${serverId}`;
    if (status.role === 'leader' && leadership !== this.#leadership) {
      this.#epoch += 1;
      this.#leadership = leadership;
      this.#epochOfLeader.set(status.node, this.#epoch);
    }
    const term = status.leader === null ? this.#epoch : (this.#epochOfLeader.get(status.leader) ?? 0);
    return { ...status, term };
  }
}
