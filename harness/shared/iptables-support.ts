// Whether this machine can cut links with iptables: root, and the iptables binary. Shared by the
// local platform (which cuts) and the systems (which declare cutLinks unsupported where it cannot).

import { accessSync, constants } from 'node:fs';

const iptablesCandidates = ['/usr/sbin/iptables', '/sbin/iptables', '/usr/bin/iptables'];

export function iptablesPath(): string | undefined {
  return iptablesCandidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Why link cuts by iptables are unavailable here, or undefined when they work. */
export function iptablesUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) {
    return 'cutting the links of a system whose nodes dial their peers themselves takes iptables rules, which need root; run the harness as root';
  }
  if (iptablesPath() === undefined) return `no iptables binary (looked at ${iptablesCandidates.join(', ')}); apt-get install iptables`;
  return undefined;
}
