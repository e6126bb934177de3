// Where a third-party system whose nodes dial their peers themselves can run here: the local
// platform only (no image is built for it), when its binary is installed; links are cut and
// shaped by address with iptables (root), delayed links through the harness's link proxies.

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
  if (platform !== 'local') {
    return { supported: false, reason: `no ${platform} image is built for ${system.title} here (the ${platform} platform runs the reference server image only); use --platform local` };
  }
  const missing = system.requiredPaths.filter((path) => !existsSync(path));
  if (missing.length > 0) return { supported: false, reason: `${missing.join(', ')} not found; apt-get install ${system.debianPackage}` };
  return { supported: true, lacks: addressLinkFaultsLacking() };
}

/** The local platform's link faults for an address-mode system: both need iptables (root). */
export function addressLinkFaultsLacking(): CapabilityReasons {
  const unavailable = iptablesUnavailableReason();
  return unavailable === undefined ? {} : { cutLinks: unavailable, shapeLinks: unavailable };
}
