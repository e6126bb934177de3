// A status probe over the real client: one connection per node, a short timeout per question.
// The addresses are asked for on every question: a platform may move a restarted node to a new
// port (when its old one was taken), and the probe then reconnects there.

import { RaftClient } from '../../raft/client/raft-client.js';
import type { StatusProbe } from './status-snapshot.js';

export interface ClosableStatusProbe {
  probe: StatusProbe;
  close(): void;
}

export function createClientStatusProbe(addresses: () => Record<string, string>, statusTimeoutMs = 1000): ClosableStatusProbe {
  let current: { key: string; client: RaftClient } | undefined;
  let closed = false;
  const clientFor = (): RaftClient => {
    const now = addresses();
    const key = JSON.stringify(now);
    if (current?.key !== key) {
      current?.client.close();
      current = { key, client: new RaftClient({ addresses: now, requestTimeoutMs: statusTimeoutMs }) };
      if (closed) current.client.close();
    }
    return current.client;
  };
  return {
    probe: async (node) => {
      const result = await clientFor().status(node);
      if (result.ok) return { node, answered: true, status: result.status };
      return { node, answered: false, error: result.message === undefined ? result.error : `${result.error}: ${result.message}` };
    },
    close: () => {
      closed = true;
      current?.client.close();
    },
  };
}
