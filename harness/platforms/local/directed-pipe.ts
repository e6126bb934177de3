// One direction of one proxied TCP connection: bytes `link.from` sends to `link.to`. It reads
// the link's state for every chunk: a cut link's bytes are discarded, a shaped link's chunks
// are delayed in order and, with a drop rate, lose whole messages.

import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Link } from '../../platform/platform.js';
import { deliveryTimeMs, splitLines, survivesDrop } from './link-shaping.js';
import type { LinkTable } from './link-table.js';

/**
 * How the proxies find message boundaries for `dropRate`:
 * - `lines`: newline-delimited messages (SPEC section 1, and the reference server's peer
 *   traffic); each whole line is dropped with probability dropRate, except the first line of
 *   each direction of a connection: it is often a handshake (the reference server's
 *   `{"peer":"<name>"}` hello), and TCP never loses the start of a stream while the rest
 *   arrives.
 * - `bytes`: no known framing; removing bytes from the middle of a TCP stream would corrupt
 *   it in a way no real network does, so each chunk instead resets the whole connection with
 *   probability dropRate (the peer sees a lost connection, as after a TCP timeout).
 */
export type Framing = 'lines' | 'bytes';

/** A line longer than this is not treated as one message: it is passed through unsplit. */
const maxLineBytes = 16 * 1024 * 1024;

export interface PipeSettings {
  framing: Framing;
  random: () => number;
}

interface PendingChunk {
  deliveryMs: number;
  data: Buffer;
}

export class DirectedPipe {
  discardedBytes = 0;
  forwardedBytes = 0;
  private carry: Buffer = Buffer.alloc(0);
  private readonly queue: PendingChunk[] = [];
  private lastDeliveryMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private sourceEnded = false;
  private firstLineDone = false;
  private waitingForDrain = false;

  constructor(
    readonly link: Link,
    private readonly source: Socket,
    private readonly destination: Socket,
    private readonly table: LinkTable,
    private readonly settings: PipeSettings,
    private readonly reset: () => void,
  ) {
    source.on('data', (chunk: Buffer) => this.receive(chunk));
    source.on('end', () => this.endOfSource());
  }

  stop(): void {
    clearTimeout(this.timer);
    this.queue.length = 0;
  }

  private receive(chunk: Buffer): void {
    if (this.table.isCut(this.link)) {
      this.discardedBytes += chunk.length;
      return;
    }
    const messages = this.survivingMessages(chunk);
    if (messages === undefined) return;
    messages.forEach((message) => this.schedule(message));
  }

  /** What is left of a chunk after the drop rate; undefined when the connection was reset. */
  private survivingMessages(chunk: Buffer): Buffer[] | undefined {
    const protectFirstLine = !this.firstLineDone;
    if (chunk.includes(0x0a)) this.firstLineDone = true;
    const dropRate = this.table.shape(this.link)?.dropRate ?? 0;
    if (dropRate === 0 && this.carry.length === 0) return [chunk];
    if (this.settings.framing === 'bytes') {
      if (survivesDrop(dropRate, this.settings.random)) return [chunk];
      this.reset();
      return undefined;
    }
    if (dropRate === 0) return [this.takeCarry(chunk)];
    const { lines, rest } = splitLines(this.carry, chunk);
    this.carry = rest;
    const survivors = lines.filter(
      (_, index) => (index === 0 && protectFirstLine) || survivesDrop(dropRate, this.settings.random),
    );
    if (this.carry.length > maxLineBytes) survivors.push(this.takeCarry(Buffer.alloc(0)));
    return survivors;
  }

  private takeCarry(chunk: Buffer): Buffer {
    const data = Buffer.concat([this.carry, chunk]);
    this.carry = Buffer.alloc(0);
    return data;
  }

  private schedule(data: Buffer): void {
    const nowMs = performance.now();
    const shape = this.table.shape(this.link);
    const deliveryMs = deliveryTimeMs(nowMs, this.lastDeliveryMs, shape, this.settings.random);
    this.lastDeliveryMs = deliveryMs;
    if (this.queue.length === 0 && deliveryMs <= nowMs) {
      this.write(data);
      return;
    }
    this.queue.push({ deliveryMs, data });
    if (this.queue.length === 1) this.armTimer();
  }

  private armTimer(): void {
    const head = this.queue[0];
    if (head === undefined) return;
    this.timer = setTimeout(() => this.deliverDue(), Math.max(0, head.deliveryMs - performance.now()));
  }

  private deliverDue(): void {
    const nowMs = performance.now();
    while (this.queue.length > 0 && (this.queue[0]?.deliveryMs ?? 0) <= nowMs + 1) {
      const next = this.queue.shift();
      if (next !== undefined) this.write(next.data);
    }
    if (this.queue.length > 0) this.armTimer();
    else if (this.sourceEnded) this.destination.end();
  }

  private write(data: Buffer): void {
    if (this.destination.destroyed) return;
    this.forwardedBytes += data.length;
    if (this.destination.write(data) || this.waitingForDrain) return;
    this.waitingForDrain = true;
    this.source.pause();
    this.destination.once('drain', () => {
      this.waitingForDrain = false;
      this.source.resume();
    });
  }

  private endOfSource(): void {
    this.sourceEnded = true;
    if (this.carry.length > 0 && !this.table.isCut(this.link)) this.schedule(this.takeCarry(Buffer.alloc(0)));
    if (this.queue.length === 0) this.destination.end();
  }
}
