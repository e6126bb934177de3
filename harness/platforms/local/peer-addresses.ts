// RAFT_PEERS for one node: its own entry is its real peer listen address; every other entry
// points at the proxy of the link from this node to that one.

import { loopbackHost } from '../../shared/free-ports.js';

export function peersVariable(
  self: string,
  nodes: readonly string[],
  ownPeerPort: number,
  proxyPort: (from: string, to: string) => number,
): string {
  return nodes
    .map((node) => {
      const port = node === self ? ownPeerPort : proxyPort(self, node);
      return `${node}=${loopbackHost}:${port}`;
    })
    .join(',');
}
