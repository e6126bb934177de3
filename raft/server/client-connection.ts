// One client connection: splits lines, validates requests, hands valid ones to the server and
// writes responses as they complete (pipelining; each echoes its id). A client that never reads
// is closed once its unread output exceeds the limit; one with too many requests in flight is
// not read from until answers catch up.

import type { Socket } from 'node:net';
import { LineSplitter, encodeResponse, parseRequest, tooLongResponse } from '../protocol/codec.js';
import type { Request, Response } from '../protocol/registry.js';
import type { NodeLogger } from './node-logger.js';

/** Requests in flight above which the connection stops being read until answers go out. */
const maxInFlight = 8192;

export interface ClientHandler {
  /** A valid request; the response comes back through `connection.respond`. */
  request(connection: ClientConnection, request: Request): void;
}

export class ClientConnection {
  private readonly splitter = new LineSplitter();
  private inFlight = 0;
  private paused = false;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly handler: ClientHandler,
    private readonly outputLimitBytes: number,
    private readonly log: NodeLogger,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => {
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  receive(chunk: Buffer): void {
    if (this.closed) return;
    for (const event of this.splitter.push(chunk)) {
      if (event.kind === 'too_long') {
        this.write(encodeResponse(tooLongResponse(event.bytes)));
        continue;
      }
      const parsed = parseRequest(event.line);
      if (!parsed.ok) {
        this.write(encodeResponse(parsed.response));
        continue;
      }
      this.inFlight += 1;
      this.handler.request(this, parsed.request);
    }
    if (this.inFlight > maxInFlight && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  /** Answers requests handed to the handler, with one write. */
  respond(responses: readonly Response[]): void {
    this.inFlight -= responses.length;
    let text = '';
    for (const response of responses) text += encodeResponse(response);
    this.write(text);
    if (this.paused && this.inFlight < maxInFlight / 2) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** Writes response lines; closes the connection if its unread output exceeds the limit. */
  write(text: string): void {
    if (this.closed || this.socket.destroyed) return;
    this.socket.write(text);
    if (this.socket.writableLength > this.outputLimitBytes) {
      this.log('client-dropped', {
        remote: `${this.socket.remoteAddress}:${this.socket.remotePort}`,
        reason: `unread output of ${this.socket.writableLength} bytes exceeds RAFT_CLIENT_OUTPUT_LIMIT_BYTES=${this.outputLimitBytes}`,
      });
      this.closed = true;
      this.socket.destroy();
    }
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }
}
