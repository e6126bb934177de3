// Logs role, term and leader changes of the node, seen by comparing successive core statuses.

import type { StatusFields } from '../protocol/registry.js';
import type { NodeLogger } from './node-logger.js';

export class RoleWatcher {
  private role: string;
  private term: number;
  private leader: string | null;

  constructor(initial: StatusFields, private readonly log: NodeLogger) {
    this.role = initial.role;
    this.term = initial.term;
    this.leader = initial.leader;
  }

  observe(status: StatusFields): void {
    if (status.role === this.role && status.term === this.term && status.leader === this.leader) return;
    const roleChanged = status.role !== this.role;
    const fields = { term: status.term, leader: status.leader, previousRole: this.role, previousTerm: this.term, commitIndex: status.commitIndex, lastLogIndex: status.lastLogIndex };
    if (roleChanged) this.log(`became-${status.role}`, fields);
    else if (status.leader !== this.leader) this.log('leader-changed', fields);
    else this.log('term-changed', fields);
    this.role = status.role;
    this.term = status.term;
    this.leader = status.leader;
  }
}
