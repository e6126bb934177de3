// The systems that speak SPEC sections 1 and 2: the reference server (system `raft`, the default)
// and any server started with `--server-cmd`. Nodes get the RAFT_* variables; the client and the
// status probe are the project's own client.

import { RaftClient } from '../../../raft/client/raft-client.js';
import { createClientStatusProbe } from '../../cluster-health/client-status-probe.js';
import { resolveServerCommand } from './server-command.js';
import type { PlatformName } from '../../platform/platform.js';
import type { NodeLaunch, NodeLaunchContext, PlatformSupport, System } from '../system.js';

/** RAFT_PEERS: this node's own peer address, and for every other node the address it dials. */
export function raftPeersVariable(context: NodeLaunchContext): string {
  return context.nodes
    .map((placement) => {
      const address = placement.node === context.self.node ? `${placement.host}:${placement.peerPort}` : context.peerAddress(placement.node);
      return `${placement.node}=${address}`;
    })
    .join(',');
}

function launchSpecServer(commandLine: string | undefined, context: NodeLaunchContext): NodeLaunch {
  const command = resolveServerCommand(commandLine);
  return {
    file: command.file,
    arguments: command.arguments,
    shell: command.shell,
    environment: {
      ...context.serverEnv,
      RAFT_ID: context.self.node,
      RAFT_LISTEN: `${context.self.listenHost}:${context.self.clientPort}`,
      RAFT_PEERS: raftPeersVariable(context),
      RAFT_DATA_DIR: context.dataDir,
      ...(context.members !== undefined ? { RAFT_MEMBERS: context.members.join(',') } : {}),
      ...(context.joining === true ? { RAFT_JOIN: 'true' } : {}),
    },
  };
}

const noMembership =
  'SPEC sections 1 and 2 do not require `add-member`, `remove-member`, RAFT_MEMBERS or RAFT_JOIN, so membership faults run against the reference server only';

function specServerSupport(commandLine: string | undefined, platform: PlatformName): PlatformSupport {
  if (commandLine !== undefined && platform !== 'local') {
    return { supported: false, reason: `--server-cmd starts a server process and needs --platform local; the ${platform} platform runs the server image (\`harness image build\`)` };
  }
  return { supported: true, lacks: commandLine !== undefined ? { membership: noMembership } : {} };
}

/** `commandLine` undefined: the reference server (system `raft`); otherwise that command through /bin/sh. */
export function createSpecServerSystem(commandLine?: string): System {
  const custom = commandLine !== undefined && commandLine.trim() !== '';
  return {
    name: custom ? 'server-cmd' : 'raft',
    description: custom
      ? `any server speaking SPEC sections 1 and 2, started as \`${commandLine}\``
      : 'the reference Raft key-value server of this project (linearizable reads through ReadIndex)',
    linkFaults: 'proxy',
    rootCapabilities: [],
    supportOn: (platform) => specServerSupport(custom ? commandLine : undefined, platform),
    launch: (context) => launchSpecServer(custom ? commandLine : undefined, context),
    createClient: (addresses, options) => new RaftClient({ addresses: { ...addresses }, requestTimeoutMs: options.requestTimeoutMs }),
    createStatusProbe: (addresses, statusTimeoutMs) => createClientStatusProbe(() => ({ ...addresses() }), statusTimeoutMs),
  };
}

export const raftSystem: System = createSpecServerSystem();
