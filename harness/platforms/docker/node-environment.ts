// Pure: the SPEC section 2 environment of one node container. Peers are reached by their
// network alias (`raft-N`) on the run's network, so a replaced container is found again
// whatever address it gets.

/** Port the node serves clients on inside its container (published on 127.0.0.1). */
export const clientPort = 7000;
/** Port the node listens on for peer traffic inside its container. */
export const peerPort = 7001;
export const dataDirectory = '/data';

export function peersVariable(nodes: readonly string[]): string {
  return nodes.map((node) => `${node}=${node}:${peerPort}`).join(',');
}

/** `KEY=value` lines; the SPEC variables win over same-named entries in `serverEnv`. */
export function nodeEnvironment(node: string, nodes: readonly string[], serverEnv: Record<string, string>): string[] {
  const variables: Record<string, string> = {
    ...serverEnv,
    RAFT_ID: node,
    RAFT_LISTEN: `0.0.0.0:${clientPort}`,
    RAFT_PEERS: peersVariable(nodes),
    RAFT_DATA_DIR: dataDirectory,
  };
  return Object.entries(variables).map(([name, value]) => `${name}=${value}`);
}
