// Whether this host can enforce link faults on docker containers: the harness enters the
// containers' network namespaces with nsenter and runs iptables there, which needs root, both
// tools, and a daemon on this machine (the container pids must be this host's pids).

import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((directory) => directory !== '' && existsSync(join(directory, command)));
}

/** Undefined when link faults work here; else why not, with the next step. */
export function linkFaultsUnavailableReason(): string | undefined {
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost !== undefined && dockerHost !== '' && !dockerHost.startsWith('unix://')) {
    return `DOCKER_HOST=${dockerHost} is not a local daemon: link faults enter container network namespaces from this host, so run the harness on the Docker host`;
  }
  if (process.getuid?.() !== 0) return 'link faults on the docker platform need root (nsenter into container network namespaces, iptables there)';
  for (const command of ['nsenter', 'iptables', 'iptables-save']) {
    if (!onPath(command)) return `link faults on the docker platform need ${command} on PATH (Debian: apt-get install util-linux iptables)`;
  }
  return undefined;
}
