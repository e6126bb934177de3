// One TCP connection to one node: newline-delimited JSON (SPEC section 1), many requests in
// flight at once matched to their answers by `id`, a timeout per request.
//
// Outcomes, exactly:
// - an answer line with a pending `id`            -> { kind: 'response' }
// - no answer within the request's timeout        -> transport `no_response`; a late answer is ignored
// - the connection ends, closes, fails or is closed -> every request in flight gets transport `connection_lost`
// - an unparsable or over-long line, or an `id` nobody waits for -> ignored (counted in `ignoredLines`)
// `sent` tells whether the request line was handed to a connected socket: when false, nothing
// reached the node and the request certainly had no effect.
// The connection is opened on the first request and reopened on the next request after a loss.

import { Socket } from 'node:net';
import { LineSplitter } from '../protocol/codec.js';
import type { Request, Response } from '../protocol/registry.js';
import { parseAddress } from './parse-address.js';
import { parseResponse } from './parse-response.js';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type RequestBody = WithoutId<Request>;

export type TransportError = 'connection_lost' | 'no_response';

export type ConnectionReply =
  | { kind: 'response'; response: Response }
  | { kind: 'transport'; error: TransportError; sent: boolean; message: string };

export interface NodeConnectionOptions {
  /** `host:port` of the node's client port. */
  address: string;
  /** Default per-request timeout; each request may give its own. */
  requestTimeoutMs: number;
  /** Give up connecting after this long (default: requestTimeoutMs). */
  connectTimeoutMs?: number;
  /** An answer line longer than this many bytes is discarded, its request left to time out (default 16 MiB). */
  maxResponseLineBytes?: number;
}

interface PendingRequest {
  line: string;
  sent: boolean;
  timer: NodeJS.Timeout;
  resolve: (reply: ConnectionReply) => void;
}

const defaultMaxResponseLineBytes = 16 * 1024 * 1024;

export class NodeConnection {
  readonly address: string;
  #options: NodeConnectionOptions;
  #socket: Socket | null = null;
  #connected = false;
  #connectTimer: NodeJS.Timeout | null = null;
  #pending = new Map<number, PendingRequest>();
  #outbox: number[] = [];
  #flushScheduled = false;
  #lines: LineSplitter;
  #nextId = 1;
  #closed = false;
  #ignoredLines = 0;

  constructor(options: NodeConnectionOptions) {
    parseAddress(options.address);
    this.address = options.address;
    this.#options = options;
    this.#lines = new LineSplitter(options.maxResponseLineBytes ?? defaultMaxResponseLineBytes);
  }

  /** Answer lines that were not JSON objects or matched no request in flight. */
  get ignoredLines(): number {
    return this.#ignoredLines;
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /** Sends one request; always resolves, never rejects. */
  request(body: RequestBody, timeoutMs = this.#options.requestTimeoutMs): Promise<ConnectionReply> {
    if (this.#closed) {
      return Promise.resolve(transportReply('connection_lost', false, `connection to ${this.address} was closed by the client`));
    }
    const id = this.#nextId++;
    const line = JSON.stringify({ id, ...body }) + '\n';
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#expire(id, timeoutMs), timeoutMs);
      this.#pending.set(id, { line, sent: false, timer, resolve });
      this.#outbox.push(id);
      if (this.#socket === null) this.#connect();
      else if (this.#connected) this.#scheduleFlush();
    });
  }

  /** Closes the connection; requests in flight resolve as `connection_lost`. */
  close(): void {
    this.#closed = true;
    if (this.#socket !== null) this.#fail(this.#socket, 'closed by the client');
  }

  #connect(): void {
    const { host, port } = parseAddress(this.address);
    const socket = new Socket();
    this.#socket = socket;
    this.#connected = false;
    this.#lines = new LineSplitter(this.#options.maxResponseLineBytes ?? defaultMaxResponseLineBytes);
    socket.setNoDelay(true);
    const connectTimeoutMs = this.#options.connectTimeoutMs ?? this.#options.requestTimeoutMs;
    this.#connectTimer = setTimeout(() => this.#fail(socket, `no connection within ${connectTimeoutMs} ms`), connectTimeoutMs);
    socket.on('connect', () => this.#onConnect(socket));
    socket.on('data', (chunk: Buffer) => this.#onData(socket, chunk));
    socket.on('error', (error) => this.#fail(socket, error.message));
    // The node ended its side: from now on Node refuses writes on this socket, so a request
    // flushed to it would fail as maybe sent although it never left; drop the socket at once.
    socket.on('end', () => this.#fail(socket, 'the node ended the connection'));
    socket.on('close', () => this.#fail(socket, 'the node closed the connection'));
    socket.connect(port, host);
  }

  #onConnect(socket: Socket): void {
    if (socket !== this.#socket) return;
    this.#clearConnectTimer();
    this.#connected = true;
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => this.#flush());
  }

  /** Writes every queued request line in one write: pipelined requests share packets. */
  #flush(): void {
    this.#flushScheduled = false;
    const socket = this.#socket;
    if (socket === null || !this.#connected) return;
    let text = '';
    for (const id of this.#outbox) {
      const pending = this.#pending.get(id);
      if (pending === undefined) continue;
      pending.sent = true;
      text += pending.line;
    }
    this.#outbox = [];
    if (text !== '') socket.write(text);
  }

  #onData(socket: Socket, chunk: Buffer): void {
    if (socket !== this.#socket) return;
    for (const event of this.#lines.push(chunk)) {
      if (event.kind === 'line') this.#onLine(event.line);
      else this.#ignoredLines++;
    }
  }

  #onLine(line: string): void {
    const response = parseResponse(line);
    const pending = response === null || response.id === null ? undefined : this.#pending.get(response.id);
    if (response === null || pending === undefined || response.id === null) {
      this.#ignoredLines++;
      return;
    }
    this.#settle(response.id, { kind: 'response', response });
  }

  #expire(id: number, timeoutMs: number): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    const message = `no answer from ${this.address} within ${timeoutMs} ms`;
    this.#settle(id, transportReply('no_response', pending.sent, message));
  }

  #settle(id: number, reply: ConnectionReply): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    pending.resolve(reply);
  }

  /** Detaches the socket and fails everything in flight on it; later events of it are ignored. */
  #fail(socket: Socket, reason: string): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#connected = false;
    this.#clearConnectTimer();
    this.#outbox = [];
    socket.destroy();
    const message = `connection to ${this.address} lost: ${reason}`;
    for (const [id, pending] of [...this.#pending]) {
      this.#settle(id, transportReply('connection_lost', pending.sent, message));
    }
  }

  #clearConnectTimer(): void {
    if (this.#connectTimer !== null) clearTimeout(this.#connectTimer);
    this.#connectTimer = null;
  }
}

function transportReply(error: TransportError, sent: boolean, message: string): ConnectionReply {
  return { kind: 'transport', error, sent, message };
}
