// etcd (Debian package etcd-server, 3.4) as a system under test: one member per node, the client
// over gRPC (npm etcd3). Members dial the peer URLs of the cluster membership themselves, so the
// local platform gives each its own loopback address and cuts links with iptables (root).

import { existsSync } from 'node:fs';
import type { PlatformName } from '../../platform/platform.js';
import { iptablesUnavailableReason } from '../../shared/iptables-support.js';
import type { PlatformSupport, System } from '../system.js';
import { etcdBinaryPath, etcdLaunch } from './etcd-launch.js';
import { createEtcdStatusProbe } from './etcd-status-probe.js';
import { EtcdWorkloadClient, type EtcdReads } from './etcd-workload-client.js';

const debianPackage = 'etcd-server';

const noShaping =
  'etcd members dial the peer URLs of their membership themselves, so no per-link proxy can delay or drop their traffic, and per-address-pair shaping (tc netem) is not implemented';

const noMembership = 'the membership faults change the configuration through the reference server\'s `add-member` and `remove-member`; etcd\'s member API is not driven yet';

function etcdSupport(platform: PlatformName, binaryPath: string): PlatformSupport {
  if (platform === 'kind') return { supported: false, reason: 'no etcd image is loaded into kind (the kind platform runs the reference server StatefulSet only); use --platform local or docker' };
  if (!existsSync(binaryPath)) return { supported: false, reason: `${binaryPath} not found; apt-get install ${debianPackage}` };
  // docker: an image built offline from the binary; links are cut and shaped in each container's network namespace.
  if (platform === 'docker') return { supported: true, lacks: { membership: noMembership } };
  const cuts = iptablesUnavailableReason();
  return { supported: true, lacks: { shapeLinks: noShaping, membership: noMembership, ...(cuts !== undefined ? { cutLinks: cuts } : {}) } };
}

export function createEtcdSystem(reads: EtcdReads, binaryPath = etcdBinaryPath): System {
  const serializable = reads === 'serializable';
  return {
    name: serializable ? 'etcd-serializable' : 'etcd',
    ...(serializable ? { variantOf: 'etcd' } : {}),
    description: serializable
      ? 'etcd with serializable reads (answered from the member\'s own state, documented as possibly stale)'
      : 'etcd, one member per node, linearizable reads (its default)',
    debianPackage,
    binaryPath,
    linkFaults: 'address',
    rootCapabilities: ['cutLinks'],
    supportOn: (platform) => etcdSupport(platform, binaryPath),
    launch: (context) => etcdLaunch(context, binaryPath),
    createClient: (addresses, options) => new EtcdWorkloadClient(addresses, { requestTimeoutMs: options.requestTimeoutMs, reads }),
    createStatusProbe: createEtcdStatusProbe,
  };
}

export const etcdSystem: System = createEtcdSystem('linearizable');
export const etcdSerializableSystem: System = createEtcdSystem('serializable');
