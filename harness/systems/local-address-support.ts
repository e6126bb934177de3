// Where a third-party system whose nodes dial their peers themselves can run here: the local
// platform only (no image is built for it), when its binary is installed; links are cut by
// address with iptables (root) and not shaped (shaping would need per-address-pair tc netem).

import { existsSync } from 'node:fs';
import type { PlatformName } from '../platform/platform.js';
import { iptablesUnavailableReason } from '../shared/iptables-support.js';
import type { PlatformSupport } from './system.js';

export interface InstalledSystem {
  /** For messages: `NATS`, `ZooKeeper`. */
  title: string;
  /** Every file the system's nodes need. */
  requiredPaths: readonly string[];
  debianPackage: string;
}

export function localAddressSupport(platform: PlatformName, system: InstalledSystem): PlatformSupport {
  if (platform !== 'local') {
    return { supported: false, reason: `no ${platform} image is built for ${system.title} here (the ${platform} platform runs the reference server image only); use --platform local` };
  }
  const missing = system.requiredPaths.filter((path) => !existsSync(path));
  if (missing.length > 0) return { supported: false, reason: `${missing.join(', ')} not found; apt-get install ${system.debianPackage}` };
  const cuts = iptablesUnavailableReason();
  const noShaping = `${system.title} nodes dial the peer addresses of their own configuration, so no per-link proxy can delay or drop their traffic, and per-address-pair shaping (tc netem) is not implemented`;
  const noMembership = `the membership faults change the configuration through the reference server's \`add-member\` and \`remove-member\`; ${system.title}'s own reconfiguration is not driven`;
  return { supported: true, lacks: { shapeLinks: noShaping, membership: noMembership, ...(cuts !== undefined ? { cutLinks: cuts } : {}) } };
}
