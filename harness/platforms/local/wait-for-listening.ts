// Waits until a node accepts TCP connections on its client port, or its process exits, or a
// deadline passes. Another process's listen() cannot be awaited as an event, so this probes.

import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { loopbackHost } from '../../shared/free-ports.js';

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
): Promise<ListeningOutcome> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (aborted()) return 'aborted';
    if (hasExited) return 'exited';
    const { host, port } = address();
    if (await acceptsConnections(port, probeTimeoutMs, host)) return hasExited ? 'exited' : 'listening';
    if (Date.now() >= deadline) return 'timeout';
    await Promise.race([delay(probeIntervalMs), exited]);
  }
}
