// Where a third-party system whose nodes dial their peers themselves can run here, when its
// files are installed: the local platform, links cut and shaped by address with iptables (root),
// delayed links through the harness's link proxies; docker, from an image built offline from
// those files; not kind (no image is loaded there).

import { existsSync } from 'node:fs';
import type { PlatformName } from '../platform/platform.js';
import { iptablesUnavailableReason } from '../shared/iptables-support.js';
import type { CapabilityReasons } from '../platform/platform.js';
import type { PlatformSupport } from './system.js';

export interface InstalledSystem {
  /** For messages: `NATS`, `ZooKeeper`. */
  title: string;
  /** Every file the system's nodes need. */
  requiredPaths: readonly string[];
  debianPackage: string;
}

export function localAddressSupport(platform: PlatformName, system: InstalledSystem): PlatformSupport {
  if (platform === 'kind') {
    return { supported: false, reason: `no ${system.title} image is loaded into kind (the kind platform runs the reference server StatefulSet only); use --platform local or docker` };
  }
  const missing = system.requiredPaths.filter((path) => !existsSync(path));
  if (missing.length > 0) return { supported: false, reason: `${missing.join(', ')} not found; apt-get install ${system.debianPackage}` };
  // docker: an image built offline from the installed files; links are cut and shaped in each container's network namespace.
  const noMembership = `the membership faults change the configuration through the reference server's \`add-member\` and \`remove-member\`; ${system.title}'s own reconfiguration is not driven`;
  if (platform === 'docker') return { supported: true, lacks: { membership: noMembership } };
  return { supported: true, lacks: { ...addressLinkFaultsLacking(), membership: noMembership } };
}

/** The local platform's link faults for an address-mode system: both need iptables (root). */
export function addressLinkFaultsLacking(): CapabilityReasons {
  const unavailable = iptablesUnavailableReason();
  return unavailable === undefined ? {} : { cutLinks: unavailable, shapeLinks: unavailable };
}
