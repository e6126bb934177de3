// Pure: the etcd command line for one member: its name, data directory, client and peer URLs on
// the node's own address, and the initial cluster from every node's peer address.

import type { NodeLaunch, NodeLaunchContext } from '../system.js';

export const etcdBinaryPath = '/usr/bin/etcd';

function url(address: string): string {
  return `http://${address}`;
}

export function etcdLaunch(context: NodeLaunchContext, binaryPath = etcdBinaryPath): NodeLaunch {
  const { self } = context;
  const clientUrl = url(`${self.host}:${self.clientPort}`);
  const peerUrl = url(`${self.host}:${self.peerPort}`);
  const listenClientUrl = url(`${self.listenHost}:${self.clientPort}`);
  const listenPeerUrl = url(`${self.listenHost}:${self.peerPort}`);
  const initialCluster = context.nodes
    .map((placement) => `${placement.node}=${url(placement.node === self.node ? `${self.host}:${self.peerPort}` : context.peerAddress(placement.node))}`)
    .join(',');
  return {
    file: binaryPath,
    arguments: [
      `--name=${self.node}`,
      `--data-dir=${context.dataDir}`,
      `--listen-client-urls=${listenClientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${listenPeerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=${initialCluster}`,
      '--initial-cluster-state=new',
      '--initial-cluster-token=raft-chaos',
      '--logger=zap',
      '--log-outputs=stderr',
    ],
    shell: false,
    environment: {},
  };
}
