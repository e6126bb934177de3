// etcd's native gRPC API through the `etcd3` client (@grpc/grpc-js), for the benchmark beside the
// JSON gateway: puts and linearizable gets (etcd3's default range is linearizable) against one
// member, the leader, so every request takes the same path as through the gateway.

import { Etcd3 } from 'etcd3';
import type { LoadOutcome } from './raft-load.js';

export class EtcdGrpcClient {
  #client: Etcd3 | null = null;
  readonly #timeoutMs: number;

  constructor(requestTimeoutMs: number) {
    this.#timeoutMs = requestTimeoutMs;
  }

  /** Talks to this member's client URL from now on (the leader). */
  connect(clientUrl: string): void {
    this.#client?.close();
    this.#client = new Etcd3({ hosts: clientUrl, dialTimeout: this.#timeoutMs });
  }

  put(key: string, value: string): Promise<LoadOutcome> {
    return this.#call((client) => client.put(key).value(value).options({ deadline: this.#deadline() }).exec());
  }

  get(key: string): Promise<LoadOutcome> {
    return this.#call((client) => client.get(key).options({ deadline: this.#deadline() }).string());
  }

  close(): void {
    this.#client?.close();
    this.#client = null;
  }

  #deadline(): Date {
    return new Date(Date.now() + this.#timeoutMs);
  }

  async #call(operation: (client: Etcd3) => Promise<unknown>): Promise<LoadOutcome> {
    if (this.#client === null) return 'not_connected';
    try {
      await operation(this.#client);
      return true;
    } catch (error) {
      return (error as Error).constructor.name || 'failed';
    }
  }
}
