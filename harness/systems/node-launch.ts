// How a third-party system starts one node: a pure function of the node's name, its data
// directory and the addresses it listens on and dials, to a command line plus the files
// (configuration, id files) to write first. The platform runs the command in the foreground.

/** Where a node listens, or where another node should dial it: one host, named ports. */
export interface NodeEndpoint {
  host: string;
  /** By the names the system declares, e.g. `client`, `cluster`, `monitor`. */
  ports: Readonly<Record<string, number>>;
}

export interface NodeLaunchInput {
  node: string;
  /** Every node of the cluster, in order (this one included). */
  nodes: readonly string[];
  /** A directory that survives a restart of this node. */
  dataDir: string;
  /** Where this node itself listens. */
  self: NodeEndpoint;
  /** Every node (this one included) as this node should dial it. */
  peers: Readonly<Record<string, NodeEndpoint>>;
}

export interface LaunchFile {
  /** Absolute path. */
  path: string;
  content: string;
}

export interface NodeLaunch {
  command: string;
  arguments: string[];
  /** Written (parent directories created) before every start. */
  files: LaunchFile[];
  environment: Record<string, string>;
}

/** `host:port` of a named port, for messages and clients. */
export function endpointAddress(endpoint: NodeEndpoint, portName: string): string {
  const port = endpoint.ports[portName];
  if (port === undefined) {
    throw new Error(`node endpoint ${endpoint.host} has no port named ${portName} (it has ${Object.keys(endpoint.ports).join(', ') || 'none'})`);
  }
  return `${endpoint.host}:${port}`;
}
