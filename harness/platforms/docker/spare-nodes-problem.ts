// Pure: whether a docker cluster can have the spare nodes a spec asks for (capability
// membership): only the reference server knows RAFT_MEMBERS and RAFT_JOIN, and every name is
// either a launch node or a spare, once.

import type { ClusterSpec } from '../../platform/platform.js';

/** Why `spareNodes` cannot be had as given; undefined when they can. */
export function spareNodesProblem(spec: Pick<ClusterSpec, 'nodes' | 'spareNodes'>, thirdPartySystem: string | undefined): string | undefined {
  const spares = spec.spareNodes ?? [];
  if (spares.length === 0) return undefined;
  if (thirdPartySystem !== undefined) {
    return `spare nodes ${spares.join(', ')} need the reference server (RAFT_MEMBERS, RAFT_JOIN); system ${thirdPartySystem} cannot be grown on docker`;
  }
  const all = [...spec.nodes, ...spares];
  const repeated = all.filter((node, index) => all.indexOf(node) !== index);
  if (repeated.length > 0) return `spare nodes ${spares.join(', ')} repeat ${[...new Set(repeated)].join(', ')}; give each node one name, launch nodes and spares apart`;
  return undefined;
}
