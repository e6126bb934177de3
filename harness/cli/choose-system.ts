// `--system` and `--server-cmd` to the system under test: `raft` by default; `--server-cmd`
// makes the generic "speaks SPEC" system and goes only with `raft`.

import { createSpecServerSystem } from '../systems/raft/spec-server-system.js';
import { defaultSystemName, findSystem, systems } from '../systems/system-registry.js';
import type { System } from '../systems/system.js';
import { UsageError } from './usage-error.js';

export function chooseSystem(name: string | undefined, serverCommand: string | undefined): System {
  const wanted = name ?? defaultSystemName;
  const system = findSystem(wanted);
  if (system === undefined) {
    throw new UsageError(`--system: unknown system "${wanted}"; known systems: ${systems.map((known) => known.name).join(', ')} (\`harness systems\` describes them)`);
  }
  if (serverCommand === undefined) return system;
  if (system.name !== defaultSystemName) {
    throw new UsageError(`--server-cmd starts a server that speaks SPEC sections 1 and 2 and cannot go with --system ${system.name}; drop one of the two`);
  }
  return createSpecServerSystem(serverCommand);
}
