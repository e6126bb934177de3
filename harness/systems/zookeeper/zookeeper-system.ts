// ZooKeeper (Debian package zookeeper, 3.8) as a system under test: one server per node, the
// client over npm node-zookeeper-client with one session over the whole ensemble. Plain reads
// (`zookeeper`) are served by whichever server the session is on, which ZooKeeper documents as
// sequentially consistent, not linearizable; `zookeeper-sync` sends `sync` before every read.
// Servers dial the peer and election ports of their own configuration, so the local platform
// gives each node its own loopback address and cuts and shapes links with iptables (root). On
// docker, an image holds java, its JRE and the jars (zookeeperImageContents).

import type { System } from '../system.js';
import { localAddressSupport } from '../local-address-support.js';
import { ZookeeperKeyValueClient } from './zookeeper-client.js';
import { javaBinary, zookeeperImageContents, zookeeperJar, zookeeperLaunch } from './zookeeper-launch.js';
import { createZookeeperStatusProbe } from './zookeeper-status.js';

const debianPackage = 'zookeeper';

function createZookeeperSystem(syncBeforeRead: boolean): System {
  return {
    name: syncBeforeRead ? 'zookeeper-sync' : 'zookeeper',
    ...(syncBeforeRead ? { variantOf: 'zookeeper' } : {}),
    description: syncBeforeRead
      ? 'ZooKeeper with `sync` before every read (the server catches up with the leader first)'
      : 'ZooKeeper, clients spread over all servers, plain reads (documented as sequentially consistent)',
    debianPackage,
    binaryPath: zookeeperJar,
    linkFaults: 'address',
    rootCapabilities: ['cutLinks', 'shapeLinks'],
    supportOn: (platform) => localAddressSupport(platform, { title: 'ZooKeeper', requiredPaths: [javaBinary, zookeeperJar], debianPackage }),
    imageContents: zookeeperImageContents,
    launch: zookeeperLaunch,
    createClient: (addresses, options) => new ZookeeperKeyValueClient({ addresses: { ...addresses }, requestTimeoutMs: options.requestTimeoutMs, syncBeforeRead }),
    createStatusProbe: createZookeeperStatusProbe,
  };
}

export const zookeeperSystem: System = createZookeeperSystem(false);
export const zookeeperSyncSystem: System = createZookeeperSystem(true);
