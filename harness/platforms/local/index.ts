// The local platform's public surface (the CLI's `--platform local`, `harness clean`, tests).

export { createLocalPlatform, localCapabilities, type LocalPlatform, type LocalPlatformOptions } from './create-local-platform.js';
export { LocalCluster } from './local-cluster.js';
export type { NodeCrash } from './node-messages.js';
export type { Framing } from './directed-pipe.js';
export { sweepLocalRuns, markedProcessGroups, type SweepOptions } from './sweep-local-runs.js';
export { defaultStateDir, runMarkerVariable, type RunRecord } from './run-record.js';
export { loopDisksUnavailableReason } from './loop-disk-support.js';
