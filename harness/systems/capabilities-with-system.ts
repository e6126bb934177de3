// Pure: what a platform can do to a cluster of a given system: the platform's capabilities minus
// what the system lacks there, with the reasons of both, for the capability check and `run all`'s
// skips.

import type { Capability, CapabilityReasons, Platform } from '../platform/platform.js';
import type { System } from './system.js';

export interface CapabilitiesWithSystem {
  capabilities: ReadonlySet<Capability>;
  reasons: CapabilityReasons;
}

/** Throws nothing; a platform the system cannot run on at all is `systemPlatformProblem`'s concern. */
export function capabilitiesWithSystem(platform: Pick<Platform, 'name' | 'capabilities' | 'unavailableReasons'>, system: System): CapabilitiesWithSystem {
  const support = system.supportOn(platform.name);
  const lacks = support.supported ? support.lacks : {};
  const capabilities = new Set([...platform.capabilities].filter((capability) => lacks[capability] === undefined));
  const systemReasons = Object.fromEntries(
    Object.entries(lacks).map(([capability, reason]) => [capability, `with system ${system.name}: ${reason}`]),
  ) as CapabilityReasons;
  return { capabilities, reasons: { ...platform.unavailableReasons, ...systemReasons } };
}

/** Why the system cannot run on the platform at all, or undefined when it can. */
export function systemPlatformProblem(platform: Pick<Platform, 'name'>, system: System): string | undefined {
  const support = system.supportOn(platform.name);
  return support.supported ? undefined : `system ${system.name} does not run on the ${platform.name} platform here: ${support.reason}`;
}
