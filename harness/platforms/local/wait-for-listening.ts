// Waits until a node accepts TCP connections on its client port, or its process exits, or a
// deadline passes. Another process's listen() cannot be awaited as an event, so this probes.
// A port found free may be taken by another process before the node binds it; then connections
// are accepted, but not by the node. So the listener must also be in the node's process group
// (listening-socket-owner.ts); else the wait goes on until the node exits with EADDRINUSE (its
// supervisor retries on fresh ports).

import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { loopbackHost } from '../../shared/free-ports.js';
import { isListeningInGroup } from '../../shared/listening-socket-owner.js';

const probeIntervalMs = 50;
const probeTimeoutMs = 1_000;

export type ListeningOutcome = 'listening' | 'exited' | 'timeout' | 'aborted';

export function acceptsConnections(port: number, timeoutMs = probeTimeoutMs, host = loopbackHost): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (accepted: boolean) => {
      socket.destroy();
      resolve(accepted);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export async function waitForListening(
  address: () => { host: string; port: number },
  exited: Promise<unknown>,
  timeoutMs: number,
  aborted: () => boolean,
  /** The node's process group (its pid: nodes are spawned detached). */
  processGroupId: number,
): Promise<ListeningOutcome> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (aborted()) return 'aborted';
    if (hasExited) return 'exited';
    const { host, port } = address();
    if ((await acceptsConnections(port, probeTimeoutMs, host)) && ((await isListeningInGroup(port, processGroupId)) ?? true)) return hasExited ? 'exited' : 'listening';
    if (Date.now() >= deadline) return 'timeout';
    await Promise.race([delay(probeIntervalMs), exited]);
  }
}
