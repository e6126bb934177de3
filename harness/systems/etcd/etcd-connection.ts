// An etcd3 client without retries: a retried write whose first attempt took effect could come
// back as a definite failure (a cas mismatch against its own value), so every outcome is the one
// attempt's. Policies from cockatiel, which etcd3 uses.

import { Etcd3 } from 'etcd3';
import { noop } from 'cockatiel';

export function etcdConnection(addresses: readonly string[], dialTimeoutMs: number): Etcd3 {
  return new Etcd3({
    hosts: addresses.map((address) => `http://${address}`),
    dialTimeout: dialTimeoutMs,
    faultHandling: { host: () => noop, global: noop },
  });
}

/** gRPC call options with a deadline `timeoutMs` from now. */
export function withDeadline(timeoutMs: number): { deadline: number } {
  return { deadline: Date.now() + timeoutMs };
}
