// A status probe over the real client: one connection per node, a short timeout per question.

import { RaftClient } from '../../raft/client/raft-client.js';
import type { StatusProbe } from './status-snapshot.js';

export interface ClosableStatusProbe {
  probe: StatusProbe;
  close(): void;
}

export function createClientStatusProbe(addresses: Record<string, string>, statusTimeoutMs = 1000): ClosableStatusProbe {
  const client = new RaftClient({ addresses, requestTimeoutMs: statusTimeoutMs });
  return {
    probe: async (node) => {
      const result = await client.status(node);
      if (result.ok) return { node, answered: true, status: result.status };
      return { node, answered: false, error: result.message === undefined ? result.error : `${result.error}: ${result.message}` };
    },
    close: () => client.close(),
  };
}
