// What a third-party system's status probe tells about one node: the status fields the
// cluster-health checks read (SPEC section 1's `status`), and an identity that changes
// whenever the node's process restarts.

import type { StatusFields } from '../../raft/protocol/registry.js';

export interface SystemNodeStatus {
  status: StatusFields;
  /** Changes whenever the node's process restarts. */
  instance: string;
}
