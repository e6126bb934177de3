// Pure: the command line, environment and config files of a third-party system's node
// container: the system's launch for a node reached by its network alias on the fixed client and
// peer ports, bound to 0.0.0.0, with its data on the volume at /data, where its config files are
// written before every start (launch-files-archive.ts).

import type { NodeLaunchContext, NodePlacement, System } from '../../systems/system.js';
import { clientPort, dataDirectory, peerAddress, peerPort } from './node-environment.js';

export interface ContainerLaunch {
  command: string[];
  environment: string[];
  /** Config files by path relative to the data directory, written into the container before it starts. */
  files: Record<string, string>;
}

function placement(node: string, index: number): NodePlacement {
  return { node, index, host: node, listenHost: '0.0.0.0', clientPort, peerPort };
}

export function systemContainerLaunch(system: System, node: string, nodes: readonly string[], serverEnv: Record<string, string>): ContainerLaunch {
  const placements = nodes.map((name, index) => placement(name, index));
  const context: NodeLaunchContext = {
    self: placements[nodes.indexOf(node)] ?? placement(node, nodes.length),
    nodes: placements,
    dataDir: dataDirectory,
    peerAddress,
    serverEnv,
  };
  const launch = system.launch(context);
  if (launch.shell) {
    throw new Error(`system ${system.name} needs a shell to start a node, which its FROM-scratch image does not have; use --platform local`);
  }
  return {
    command: [launch.file, ...launch.arguments],
    environment: Object.entries(launch.environment).map(([name, value]) => `${name}=${value}`),
    files: { ...launch.files },
  };
}
