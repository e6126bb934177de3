// The launch recipe of a NATS JetStream node (nats-server 2.9): one configuration file in the
// node's data directory naming the server after the node, its client and cluster ports on the
// node's own address, a route to every peer, JetStream's store inside the data directory, and
// two accounts: the workload's (JetStream enabled) and the system account the status probe
// asks for the server's JetStream report on the client port.

import { join } from 'node:path';
import type { NodeLaunch, NodeLaunchContext } from '../system.js';

export const natsServerBinary = '/usr/sbin/nats-server';
export const natsClusterName = 'raft-chaos';
export const natsConfigurationFile = 'nats-server.conf';
/** Loopback-only credentials: the workload's account and the system account. */
export const natsWorkloadUser = { user: 'raft-chaos', pass: 'raft-chaos' };
export const natsSystemUser = { user: 'raft-chaos-system', pass: 'raft-chaos-system' };

/** A JSON string literal is a valid quoted string in the NATS configuration format. */
function quoted(text: string): string {
  return JSON.stringify(text);
}

function user(credentials: { user: string; pass: string }): string {
  return `{ user: ${quoted(credentials.user)}, password: ${quoted(credentials.pass)} }`;
}

export function natsConfiguration(context: NodeLaunchContext): string {
  const { self } = context;
  const routes = context.nodes
    .filter((placement) => placement.node !== self.node)
    .map((placement) => quoted(`nats://${context.peerAddress(placement.node)}`));
  return [
    `server_name: ${quoted(self.node)}`,
    `listen: ${quoted(`${self.listenHost}:${self.clientPort}`)}`,
    'jetstream {',
    `  store_dir: ${quoted(join(context.dataDir, 'jetstream'))}`,
    '}',
    'accounts {',
    `  SYS { users: [ ${user(natsSystemUser)} ] }`,
    `  KV { jetstream: enabled, users: [ ${user(natsWorkloadUser)} ] }`,
    '}',
    'system_account: SYS',
    'cluster {',
    `  name: ${quoted(natsClusterName)}`,
    `  listen: ${quoted(`${self.listenHost}:${self.peerPort}`)}`,
    `  routes: [${routes.join(', ')}]`,
    '  no_advertise: true',
    '}',
    '',
  ].join('\n');
}

export function natsLaunch(context: NodeLaunchContext, binaryPath = natsServerBinary): NodeLaunch {
  return {
    file: binaryPath,
    arguments: ['--config', join(context.dataDir, natsConfigurationFile)],
    shell: false,
    environment: {},
    files: { [natsConfigurationFile]: natsConfiguration(context) },
  };
}
