// `harness systems`: one line per system and variant: whether its binary is here (or the Debian
// package to install), where it runs, and which faults need root with it.

import { existsSync } from 'node:fs';
import { platformNames } from './platform-loader.js';
import { systems } from '../systems/system-registry.js';
import type { System } from '../systems/system.js';

function availability(system: System): string {
  if (system.binaryPath === undefined) return 'ships with this project';
  if (existsSync(system.binaryPath)) return `binary found at ${system.binaryPath}`;
  return `binary ${system.binaryPath} missing: apt-get install ${system.debianPackage ?? '(no Debian package known)'}`;
}

function platforms(system: System): string {
  return platformNames
    .map((platform) => {
      const support = system.supportOn(platform);
      if (!support.supported) return `${platform}: no (${support.reason})`;
      const lacking = Object.keys(support.lacks);
      return lacking.length === 0 ? `${platform}: yes` : `${platform}: yes, without ${lacking.join(', ')}`;
    })
    .join('; ');
}

export function describeSystem(system: System): string {
  const name = system.variantOf === undefined ? system.name : `${system.name} (variant of ${system.variantOf})`;
  const root = system.rootCapabilities.length === 0 ? 'no fault needs root beyond the platform\'s own' : `faults needing root: ${system.rootCapabilities.join(', ')}`;
  return `${name}: ${system.description}; ${availability(system)}; ${platforms(system)}; ${root}`;
}

export async function systemsCommand(write: (text: string) => void): Promise<number> {
  for (const system of systems) write(`${describeSystem(system)}\n`);
  return 0;
}
