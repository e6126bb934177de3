// The outbound half of one directed peer link: a TCP connection this node dials to another
// node's peer address (which may be a harness proxy). It says hello (`{"peer":"<self>"}`), then
// writes Raft messages, one JSON line each. Reconnects with capped, jittered backoff; never
// blocks; queues at most `queueLimitBytes` and drops the oldest messages beyond that.

import { connect, type Socket } from 'node:net';
import { peerHelloLine } from './first-line-reader.js';
import type { Address } from './server-config.js';
import type { NodeLogger } from './node-logger.js';

const reconnectDelayMsMin = 20;
const reconnectDelayMsMax = 500;
/** Socket buffer level above which messages wait in our own (bounded) queue instead. */
const socketHighWaterBytes = 1024 * 1024;

export class PeerLink {
  private socket: Socket | null = null;
  private connected = false;
  private queue: string[] = [];
  private queueHead = 0;
  private queuedBytes = 0;
  private droppedMessages = 0;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly self: string,
    readonly peer: string,
    private readonly address: Address,
    private readonly queueLimitBytes: number,
    private readonly log: NodeLogger,
  ) {}

  start(): void {
    this.dial();
  }

  /** Sends lines (each ending in a newline); never blocks, may drop the oldest queued lines. */
  send(lines: string): void {
    if (this.stopped) return;
    if (this.connected && this.queueHead === this.queue.length && this.socket!.writableLength < socketHighWaterBytes) {
      this.socket!.write(lines);
      return;
    }
    this.enqueue(lines);
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.socket?.destroy();
  }

  private enqueue(lines: string): void {
    this.queue.push(lines);
    this.queuedBytes += lines.length;
    while (this.queuedBytes > this.queueLimitBytes && this.queueHead < this.queue.length - 1) {
      this.queuedBytes -= this.queue[this.queueHead]!.length;
      this.queue[this.queueHead] = '';
      this.queueHead += 1;
      this.droppedMessages += 1;
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) this.compactQueue();
  }

  private compactQueue(): void {
    this.queue = this.queue.slice(this.queueHead);
    this.queueHead = 0;
  }

  private drainQueue(): void {
    while (this.connected && this.queueHead < this.queue.length && this.socket!.writableLength < socketHighWaterBytes) {
      const lines = this.queue[this.queueHead]!;
      this.queue[this.queueHead] = '';
      this.queueHead += 1;
      this.queuedBytes -= lines.length;
      this.socket!.write(lines);
    }
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
      this.queuedBytes = 0;
    }
  }

  private dial(): void {
    if (this.stopped) return;
    const socket = connect({ host: this.address.host, port: this.address.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => this.onConnect(socket));
    socket.on('drain', () => this.drainQueue());
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose(socket));
  }

  private onConnect(socket: Socket): void {
    if (socket !== this.socket) return;
    this.connected = true;
    if (this.failures > 0 || this.droppedMessages > 0) {
      this.log('peer-connected', { peer: this.peer, address: `${this.address.host}:${this.address.port}`, failedAttempts: this.failures, droppedMessages: this.droppedMessages });
    }
    this.failures = 0;
    this.droppedMessages = 0;
    socket.write(peerHelloLine(this.self));
    this.drainQueue();
  }

  private onClose(socket: Socket): void {
    if (socket !== this.socket) return;
    const wasConnected = this.connected;
    this.connected = false;
    this.socket = null;
    if (this.stopped) return;
    if (wasConnected) this.log('peer-disconnected', { peer: this.peer });
    this.failures += 1;
    const ceiling = Math.min(reconnectDelayMsMax, reconnectDelayMsMin * 2 ** Math.min(this.failures, 10));
    const delayMs = ceiling / 2 + Math.random() * (ceiling / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.dial();
    }, delayMs);
  }
}
