// The workload's client for ZooKeeper: one session over the whole ensemble (the library
// shuffles the servers, as ZooKeeper clients do, and moves to another when its server goes
// quiet), one znode per key under /raft-chaos. get reads the znode (after `sync` when asked,
// the zookeeper-sync variant); put sets it or creates it; cas reads it and sets it only at the
// version read (creates it when the expected value is absent); delete removes it.

import { createClient, type Client } from 'node-zookeeper-client';
import { operationFailure, type OperationFailure, type OperationResult } from '../../../raft/client/operation-result.js';
import type { WorkloadClient } from '../../workload/workload-client.js';
import { repairConnection } from './connection-repairs.js';
import { DeadlineError, zookeeperCalls, type ZookeeperCalls } from './zookeeper-calls.js';
import { zookeeperCode, zookeeperCodes, zookeeperFailure } from './zookeeper-outcome.js';
import { runDriverOperation, type DriverOutcome } from '../run-driver-operation.js';

export const zookeeperRoot = '/raft-chaos';
const putRounds = 3;
/** A cas write refused because the znode changed since it was read: definite. */
const conflicts = new Set<number | undefined>([zookeeperCodes.nodeExists, zookeeperCodes.badVersion, zookeeperCodes.noNode]);

export interface ZookeeperClientOptions {
  /** Every node's client address, `host:port`, by node name. */
  addresses: Record<string, string>;
  /** Deadline of one request (and of connecting), in milliseconds. */
  requestTimeoutMs: number;
  /** `sync` before every read (variant zookeeper-sync). */
  syncBeforeRead: boolean;
  /** The session timeout asked of the server (it clamps it to 2 to 20 ticks). */
  sessionTimeoutMs?: number;
}

/** A znode name for any key: percent-encoded, dots included (`.` and `..` are not names). */
export function keyPath(key: string): string {
  return `${zookeeperRoot}/${encodeURIComponent(key).replaceAll('.', '%2E')}`;
}

interface Session {
  client: Client;
  calls: ZookeeperCalls;
}

export class ZookeeperKeyValueClient implements WorkloadClient {
  readonly #options: ZookeeperClientOptions;
  #session: Promise<Session> | undefined;
  #closed = false;

  constructor(options: ZookeeperClientOptions) {
    this.#options = options;
  }

  get(key: string): Promise<OperationResult> {
    return this.#run(async ({ calls }) => ({ value: await this.#read(calls, keyPath(key)).then((read) => read.value) }));
  }

  put(key: string, value: string): Promise<OperationResult> {
    return this.#run(async ({ calls }, node) => {
      const data = Buffer.from(value, 'utf8');
      for (let round = 0; round < putRounds; round += 1) {
        if (await ignoring(zookeeperCodes.noNode, calls.setData(keyPath(key), data, -1))) return {};
        if (await ignoring(zookeeperCodes.nodeExists, calls.create(keyPath(key), data))) return {};
      }
      return operationFailure('unavailable', { node, message: `zookeeper: ${keyPath(key)} kept appearing and disappearing over ${putRounds} rounds` });
    });
  }

  cas(key: string, from: string | null, to: string): Promise<OperationResult> {
    return this.#run(async ({ calls }, node) => {
      const path = keyPath(key);
      const read = await this.#read(calls, path);
      if (read.value !== from) return operationFailure('cas_mismatch', { node, value: read.value });
      const data = Buffer.from(to, 'utf8');
      try {
        await (read.version === undefined ? calls.create(path, data) : calls.setData(path, data, read.version));
        return {};
      } catch (error) {
        if (!conflicts.has(zookeeperCode(error))) throw error;
        return operationFailure('cas_mismatch', { node, message: `zookeeper: ${path} changed after it was read` });
      }
    });
  }

  delete(key: string): Promise<OperationResult> {
    return this.#run(async ({ calls }) => {
      await ignoring(zookeeperCodes.noNode, calls.remove(keyPath(key)));
      return {};
    });
  }

  close(): void {
    this.#closed = true;
    const session = this.#session;
    this.#session = undefined;
    void session?.then((open) => open.client.close()).catch(() => undefined);
  }

  /** The value (null when absent) and the version to write at (undefined when absent). */
  async #read(calls: ZookeeperCalls, path: string): Promise<{ value: string | null; version?: number }> {
    if (this.#options.syncBeforeRead) await calls.sync(path);
    try {
      const { data, stat } = await calls.getData(path);
      return { value: data === undefined ? '' : data.toString('utf8'), version: stat.version };
    } catch (error) {
      if (zookeeperCode(error) === zookeeperCodes.noNode) return { value: null };
      throw error;
    }
  }

  #run(operation: (session: Session, node: string | undefined) => Promise<DriverOutcome>): Promise<OperationResult> {
    const addresses = this.#options.addresses;
    return runDriverOperation({ open: () => this.#open(), nodeOf: (session) => connectedNode(session.client, addresses), failure: failureOf }, operation);
  }

  #open(): Promise<Session> {
    if (this.#closed) return Promise.reject(new Error('client closed'));
    if (this.#session === undefined) {
      const opening = openSession(this.#options, () => {
        if (this.#session === opening) this.#session = undefined;
      });
      this.#session = opening;
      opening.catch(() => undefined);
    }
    return this.#session;
  }
}

function failureOf(error: unknown, node: string | undefined): OperationFailure {
  if (error instanceof DeadlineError) return operationFailure('no_response', { message: `zookeeper: ${error.message}`, ...(node === undefined ? {} : { node }) });
  return zookeeperFailure(error, node);
}

/** Resolves true when the call succeeded, `whenIgnored` when it failed with `code`; rethrows anything else. */
async function ignoring(code: number, call: Promise<unknown>, whenIgnored = false): Promise<boolean> {
  try {
    await call;
    return true;
  } catch (error) {
    if (zookeeperCode(error) === code) return whenIgnored;
    throw error;
  }
}

/** The node whose client port the session's socket is connected to. */
function connectedNode(client: Client, addresses: Record<string, string>): string | undefined {
  const socket = (client as unknown as { connectionManager?: { socket?: { remoteAddress?: string; remotePort?: number } } }).connectionManager?.socket;
  const address = `${socket?.remoteAddress}:${socket?.remotePort}`;
  return Object.keys(addresses).find((node) => addresses[node] === address);
}

/** Connects within the request deadline; a session that expires later is forgotten (`onExpired`). */
async function openSession(options: ZookeeperClientOptions, onExpired: () => void): Promise<Session> {
  const client = createClient(Object.values(options.addresses).join(','), {
    sessionTimeout: options.sessionTimeoutMs ?? 10_000,
    spinDelay: 200,
    retries: 0,
  });
  repairConnection(client);
  client.on('expired', () => {
    onExpired();
    client.close();
  });
  const connected = new Promise<void>((resolve) => client.once('connected', () => resolve()));
  client.connect();
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), options.requestTimeoutMs).unref());
  if ((await Promise.race([connected, timer])) === 'timeout') {
    onExpired();
    client.close();
    throw new DeadlineError(`no ZooKeeper server of ${Object.values(options.addresses).join(', ')} accepted a session within ${options.requestTimeoutMs} ms`);
  }
  const calls = zookeeperCalls(client, options.requestTimeoutMs);
  try {
    await ignoring(zookeeperCodes.nodeExists, calls.create(zookeeperRoot, Buffer.alloc(0)), true);
  } catch (error) {
    onExpired();
    client.close();
    throw error;
  }
  return { client, calls };
}
