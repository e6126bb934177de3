// NATS JetStream (Debian package nats-server, 2.9) as a system under test: one server per node,
// a key-value bucket with three replicas, the client over npm `nats`. Servers learn each
// other's routes by gossip and dial them directly, so the local platform gives each node its
// own loopback address and cuts and shapes links with iptables (root); on docker, an image of
// the binary, its configuration put into the container before it starts. NATS 2.9 has no setting that syncs
// to disk before acknowledging (`sync_interval` arrived in 2.10): no `nats-sync` variant.

import type { System } from '../system.js';
import { localAddressSupport } from '../local-address-support.js';
import { natsLaunch, natsServerBinary } from './nats-launch.js';
import { NatsKeyValueClient } from './nats-key-value-client.js';
import { createNatsStatusProbe } from './nats-status-probe.js';

const debianPackage = 'nats-server';

export function createNatsSystem(binaryPath = natsServerBinary): System {
  return {
    name: 'nats',
    description: 'NATS JetStream, a key-value bucket with 3 replicas, default settings (flushes to disk every minute, acknowledges at once)',
    debianPackage,
    binaryPath,
    linkFaults: 'address',
    rootCapabilities: ['cutLinks', 'shapeLinks'],
    supportOn: (platform) => localAddressSupport(platform, { title: 'NATS', requiredPaths: [binaryPath], debianPackage }),
    launch: (context) => natsLaunch(context, binaryPath),
    createClient: (addresses, options) => new NatsKeyValueClient({ addresses, requestTimeoutMs: options.requestTimeoutMs }),
    createStatusProbe: createNatsStatusProbe,
  };
}

export const natsSystem: System = createNatsSystem();
