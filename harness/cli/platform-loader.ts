// Platforms are imported only by the commands that need them, so `harness check` and
// `harness list` never load dockerode or the Kubernetes client.

import type { Platform, PlatformName } from '../platform/platform.js';
import { PlatformError, UsageError } from './usage-error.js';

export const platformNames: readonly PlatformName[] = ['local', 'docker', 'kind'];

export interface PlatformChoice {
  serverCommand?: string;
}

export function parsePlatformName(value: string): PlatformName {
  if ((platformNames as readonly string[]).includes(value)) return value as PlatformName;
  throw new UsageError(`--platform: expected one of ${platformNames.join(', ')}, got "${value}"`);
}

export async function loadPlatform(name: PlatformName): Promise<Platform> {
  try {
    if (name === 'local') return (await import('../platforms/local/create-local-platform.js')).createLocalPlatform();
    if (name === 'kind') return (await import('../platforms/kind/kind-platform.js')).createKindPlatform();
    return (await import('../platforms/docker/docker-platform.js')).createDockerPlatform();
  } catch (error) {
    throw new PlatformError(`could not load the ${name} platform: ${(error as Error).message}`);
  }
}
