// Two repairs to node-zookeeper-client 1.1.3's connection manager, applied per client:
// - it keeps the unparsed tail of a frame (`pendingBuffer`) across reconnects, so a connection
//   lost in the middle of a frame corrupts the next connection's first frame: the tail is
//   dropped whenever a new connection is made;
// - it throws out of the socket's data handler on a frame it cannot parse (an error code it does
//   not know, a corrupt frame), which would end the whole process: such a connection is closed
//   instead, so its calls fail with a lost connection and the client reconnects.

import type { Client } from 'node-zookeeper-client';

interface ConnectionManager {
  pendingBuffer: Buffer | null;
  socket?: { destroy(): void };
  onSocketConnected(...parameters: unknown[]): unknown;
  onSocketData(buffer: Buffer): unknown;
}

export function repairConnection(client: Client): void {
  const manager = (client as unknown as { connectionManager: ConnectionManager }).connectionManager;
  const onSocketConnected = manager.onSocketConnected.bind(manager);
  const onSocketData = manager.onSocketData.bind(manager);
  manager.onSocketConnected = (...parameters) => {
    manager.pendingBuffer = null;
    return onSocketConnected(...parameters);
  };
  manager.onSocketData = (buffer) => {
    try {
      return onSocketData(buffer);
    } catch {
      manager.pendingBuffer = null;
      manager.socket?.destroy();
      return undefined;
    }
  };
}
