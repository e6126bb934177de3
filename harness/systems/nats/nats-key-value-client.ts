// The workload's client for NATS JetStream: one connection (to a server the client picks at
// random, as NATS clients do, so clients spread over the cluster), one key-value bucket
// with three replicas. get, put and delete map onto the bucket's; cas reads the key's last
// revision and writes only if it is still the last (`previousSeq`, JetStream's expected last
// subject sequence); an absent key (never written, or deleted) is the expected value `null`.
// A session creates the bucket when it is missing (as an application starting up does); a
// session whose bucket disappears later (a cluster that lost its disks) keeps failing, as a
// running application's would: it does not quietly create an empty bucket again.

import { connect, type KV, type KvEntry, type NatsConnection } from 'nats';
import type { OperationResult } from '../../../raft/client/operation-result.js';
import { operationFailure } from '../../../raft/client/operation-result.js';
import type { WorkloadClient } from '../../workload/workload-client.js';
import { natsBucket, natsBucketOptions, natsKey } from './nats-bucket.js';
import { natsWorkloadUser } from './nats-launch.js';
import { natsFailure } from './nats-outcome.js';
import { runDriverOperation, type DriverOutcome } from '../run-driver-operation.js';

export interface NatsClientOptions {
  /** Every node's client address, `host:port`, by node name. */
  addresses: Readonly<Record<string, string>>;
  /** Deadline of one request (and of connecting), in milliseconds. */
  requestTimeoutMs: number;
  /** The node to connect to first; the others follow in cluster order. Default: a random one, as NATS clients pick. */
  preferredNode?: string;
}

interface Session {
  connection: NatsConnection;
  keyValue: KV;
}

/** The servers in cluster order, rotated to start at the preferred node. */
export function serverOrder(addresses: Readonly<Record<string, string>>, preferredNode: string | undefined): string[] {
  const nodes = Object.keys(addresses);
  const start = Math.max(0, preferredNode === undefined ? 0 : nodes.indexOf(preferredNode));
  return [...nodes.slice(start), ...nodes.slice(0, start)].map((node) => addresses[node]!);
}

function valueOf(entry: KvEntry | null): string | null {
  if (entry === null || entry.operation !== 'PUT') return null;
  return entry.string();
}

export class NatsKeyValueClient implements WorkloadClient {
  readonly #options: NatsClientOptions;
  #session: Promise<Session> | undefined;
  #closed = false;

  constructor(options: NatsClientOptions) {
    this.#options = options;
  }

  get(key: string): Promise<OperationResult> {
    return this.#run(async (session) => ({ value: valueOf(await session.keyValue.get(natsKey(key))) }));
  }

  put(key: string, value: string): Promise<OperationResult> {
    return this.#run(async (session) => {
      await session.keyValue.put(natsKey(key), value);
      return {};
    });
  }

  cas(key: string, from: string | null, to: string): Promise<OperationResult> {
    return this.#run(async (session, node) => {
      const entry = await session.keyValue.get(natsKey(key));
      const current = valueOf(entry);
      if (current !== from) return operationFailure('cas_mismatch', { node, value: current });
      await session.keyValue.put(natsKey(key), to, { previousSeq: entry?.revision ?? 0 });
      return {};
    });
  }

  delete(key: string): Promise<OperationResult> {
    return this.#run(async (session) => {
      await session.keyValue.delete(natsKey(key));
      return {};
    });
  }

  close(): void {
    this.#closed = true;
    this.#reopen();
  }

  #run(operation: (session: Session, node: string | undefined) => Promise<DriverOutcome>): Promise<OperationResult> {
    return runDriverOperation({ open: () => this.#open(), nodeOf: (session) => session.connection.info?.server_name, failure: natsFailure }, operation);
  }

  /** Closes the session; the next call opens a new one. */
  #reopen(): void {
    const session = this.#session;
    this.#session = undefined;
    void session?.then((open) => open.connection.close()).catch(() => undefined);
  }

  #open(): Promise<Session> {
    if (this.#closed) return Promise.reject(Object.assign(new Error('client closed'), { code: 'CONNECTION_CLOSED' }));
    if (this.#session === undefined) {
      const opening = openSession(this.#options);
      this.#session = opening;
      opening.then(
        (session) => void session.connection.closed().then(() => this.#forget(opening)),
        () => this.#forget(opening),
      );
    }
    return this.#session;
  }

  #forget(session: Promise<Session>): void {
    if (this.#session === session) this.#session = undefined;
  }
}

async function openSession(options: NatsClientOptions): Promise<Session> {
  const connection = await connect({
    servers: serverOrder(options.addresses, options.preferredNode),
    ...natsWorkloadUser,
    noRandomize: options.preferredNode !== undefined,
    ignoreClusterUpdates: true,
    timeout: options.requestTimeoutMs,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 200,
    pingInterval: Math.max(500, options.requestTimeoutMs),
    maxPingOut: 2,
  });
  try {
    const keyValue = await connection.jetstream({ timeout: options.requestTimeoutMs }).views.kv(natsBucket, natsBucketOptions);
    return { connection, keyValue };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
