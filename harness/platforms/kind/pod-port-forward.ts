// Reaches a pod's client port from the host: a local TCP listener on 127.0.0.1 whose every
// connection is forwarded to the pod through the API server (the port-forward subresource).
// When the pod goes away the forwarded connection breaks, and the client records `info`.

import { createServer, type Server, type Socket } from 'node:net';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';

export interface PodPortForward {
  readonly address: string;
  close(): Promise<void>;
}

export async function startPodPortForward(
  kubeConfig: KubeConfig,
  namespace: string,
  podName: string,
  podPort: number,
): Promise<PodPortForward> {
  const forwarder = new PortForward(kubeConfig, true);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    forwarder.portForward(namespace, podName, [podPort], socket, null, socket).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
