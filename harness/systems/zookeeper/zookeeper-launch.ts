// The launch recipe of a ZooKeeper 3.8 node (Debian's package): zoo.cfg and myid in the node's
// data directory, and java running QuorumPeerMain in the foreground with the classpath
// zkEnv.sh builds (/etc/zookeeper/conf and zookeeper.jar, whose manifest names its
// dependencies in /usr/share/java) plus slf4j-simple, so the node logs to its output.

import { join } from 'node:path';
import { type NodeEndpoint, type NodeLaunch, type NodeLaunchInput } from '../node-launch.js';

export const javaBinary = '/usr/bin/java';
export const zookeeperJar = '/usr/share/java/zookeeper.jar';
export const zookeeperClasspath = ['/etc/zookeeper/conf', zookeeperJar, '/usr/share/java/slf4j-simple.jar'];
/** The ports a ZooKeeper node listens on: clients, followers to the leader, leader election. */
export const zookeeperPortNames = ['client', 'peer', 'election'] as const;
/** The four-letter words the status probe uses. */
export const zookeeperFourLetterWords = ['srvr', 'mntr', 'ruok'];

/** ZooKeeper numbers servers from 1: myid of the node at position i is i + 1. */
export function zookeeperServerId(nodes: readonly string[], node: string): number {
  const index = nodes.indexOf(node);
  if (index < 0) throw new Error(`zookeeper launch: ${node} is not one of the nodes ${nodes.join(', ')}`);
  return index + 1;
}

function serverLine(id: number, endpoint: NodeEndpoint): string {
  return `server.${id}=${endpoint.host}:${endpoint.ports.peer}:${endpoint.ports.election}`;
}

/** zoo_sample.cfg's timing, the node's own ports, the 4lw the probe needs, no AdminServer. */
export function zookeeperConfiguration(input: NodeLaunchInput): string {
  const servers = input.nodes.map((peer) => {
    const endpoint = peer === input.node ? input.self : input.peers[peer];
    if (endpoint === undefined) throw new Error(`zookeeper launch of ${input.node}: no address for peer ${peer}`);
    return serverLine(zookeeperServerId(input.nodes, peer), endpoint);
  });
  return [
    'tickTime=2000',
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${input.dataDir}`,
    `clientPort=${input.self.ports.client}`,
    `clientPortAddress=${input.self.host}`,
    'admin.enableServer=false',
    `4lw.commands.whitelist=${zookeeperFourLetterWords.join(',')}`,
    ...servers,
    '',
  ].join('\n');
}

export function zookeeperLaunch(input: NodeLaunchInput): NodeLaunch {
  const configurationPath = join(input.dataDir, 'zoo.cfg');
  return {
    command: javaBinary,
    arguments: [
      '-Xmx256m',
      `-Dzookeeper.log.dir=${input.dataDir}`,
      '-Dorg.slf4j.simpleLogger.showDateTime=true',
      "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSZ",
      '-cp',
      zookeeperClasspath.join(':'),
      'org.apache.zookeeper.server.quorum.QuorumPeerMain',
      configurationPath,
    ],
    files: [
      { path: configurationPath, content: zookeeperConfiguration(input) },
      { path: join(input.dataDir, 'myid'), content: `${zookeeperServerId(input.nodes, input.node)}\n` },
    ],
    environment: {},
  };
}
