// Pure: the SPEC section 2 environment of one node container. Peers are reached by their
// network alias (`raft-N`) on the run's network, so a replaced container is found again
// whatever address it gets, and a spare is found once its container exists.

/** Port the node serves clients on inside its container (published on 127.0.0.1). */
export const clientPort = 7000;
/** Port the node listens on for peer traffic inside its container. */
export const peerPort = 7001;
export const dataDirectory = '/data';

/** Where peers reach a node on the run's network: its alias and the peer port. */
export function peerAddress(node: string): string {
  return `${node}:${peerPort}`;
}

export function peersVariable(nodes: readonly string[]): string {
  return nodes.map((node) => `${node}=${peerAddress(node)}`).join(',');
}

/** How a node takes part in membership changes (capability membership). */
export interface NodeMembership {
  /** RAFT_MEMBERS: the launch configuration's voters, when `nodes` also lists spares. */
  members?: readonly string[];
  /** RAFT_JOIN=true: started with an empty volume to be added by `add-member`. */
  join?: boolean;
}

/**
 * `KEY=value` lines; the SPEC variables win over same-named entries in `serverEnv`. `nodes` is
 * every node that has or may get an address: the launch nodes and the spares.
 */
export function nodeEnvironment(node: string, nodes: readonly string[], serverEnv: Record<string, string>, membership: NodeMembership = {}): string[] {
  const variables: Record<string, string> = {
    ...serverEnv,
    RAFT_ID: node,
    RAFT_LISTEN: `0.0.0.0:${clientPort}`,
    RAFT_PEERS: peersVariable(nodes),
    RAFT_DATA_DIR: dataDirectory,
  };
  if (membership.members !== undefined) variables.RAFT_MEMBERS = membership.members.join(',');
  if (membership.join === true) variables.RAFT_JOIN = 'true';
  return Object.entries(variables).map(([name, value]) => `${name}=${value}`);
}
