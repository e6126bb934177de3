// The launch recipe of a NATS JetStream node (nats-server 2.9): one configuration file in the
// node's data directory naming the server after the node, its client, cluster and monitoring
// ports, a route to every peer, and JetStream's store inside the data directory.

import { join } from 'node:path';
import { endpointAddress, type NodeLaunch, type NodeLaunchInput } from '../node-launch.js';

export const natsServerBinary = '/usr/sbin/nats-server';
/** The ports a NATS node listens on, by name. */
export const natsPortNames = ['client', 'cluster', 'monitor'] as const;
export const natsClusterName = 'raft-chaos';

/** A JSON string literal is a valid quoted string in the NATS configuration format. */
function quoted(text: string): string {
  return JSON.stringify(text);
}

export function natsConfiguration(input: NodeLaunchInput): string {
  const routes = input.nodes
    .filter((peer) => peer !== input.node)
    .map((peer) => quoted(`nats://${endpointAddress(input.peers[peer] ?? missingPeer(input, peer), 'cluster')}`));
  return [
    `server_name: ${quoted(input.node)}`,
    `listen: ${quoted(endpointAddress(input.self, 'client'))}`,
    `http: ${quoted(endpointAddress(input.self, 'monitor'))}`,
    'jetstream {',
    `  store_dir: ${quoted(join(input.dataDir, 'jetstream'))}`,
    '}',
    'cluster {',
    `  name: ${quoted(natsClusterName)}`,
    `  listen: ${quoted(endpointAddress(input.self, 'cluster'))}`,
    `  routes: [${routes.join(', ')}]`,
    '  no_advertise: true',
    '}',
    '',
  ].join('\n');
}

function missingPeer(input: NodeLaunchInput, peer: string): never {
  throw new Error(`nats launch of ${input.node}: no address for peer ${peer} (peers given: ${Object.keys(input.peers).join(', ')})`);
}

export function natsLaunch(input: NodeLaunchInput): NodeLaunch {
  const configurationPath = join(input.dataDir, 'nats-server.conf');
  return {
    command: natsServerBinary,
    arguments: ['--config', configurationPath],
    files: [{ path: configurationPath, content: natsConfiguration(input) }],
    environment: {},
  };
}
