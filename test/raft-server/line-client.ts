// A tiny raw-socket client for the tests: sends request objects as JSON lines and matches
// responses by id. Deliberately independent of raft/client.

import { connect, type Socket } from 'node:net';

export type Reply = Record<string, unknown> & { id: number | null; ok: boolean };

export class LineClient {
  private buffer = '';
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  /** Replies whose id matched no waiting request (e.g. id null for unreadable lines). */
  readonly unmatched: Reply[] = [];
  private unmatchedWaiter: (() => void) | null = null;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.receive(text));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
    });
  }

  static open(port: number, timeoutMs = 10_000): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no connection to 127.0.0.1:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new LineClient(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Sends a request (an id is added) and waits for the reply with that id. */
  request(body: Record<string, unknown>, timeoutMs = 10_000): Promise<Reply> {
    const id = this.nextId++;
    this.socket.write(`${JSON.stringify({ id, ...body })}\n`);
    return this.waitFor(id, timeoutMs, JSON.stringify(body));
  }

  /** Writes raw bytes. */
  writeRaw(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Waits until at least `count` unmatched replies have arrived. */
  async waitUnmatched(count: number, timeoutMs = 10_000): Promise<Reply[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.unmatched.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} replies without a matching id, got ${this.unmatched.length}`);
      await new Promise<void>((resolve) => {
        this.unmatchedWaiter = resolve;
        setTimeout(resolve, 100).unref();
      });
    }
    return this.unmatched;
  }

  close(): void {
    this.socket.destroy();
  }

  private waitFor(id: number, timeoutMs: number, what: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no reply to ${what} within ${timeoutMs} ms`));
      }, timeoutMs).unref();
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
  }

  private receive(text: string): void {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf('\n')) !== -1) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      const reply = JSON.parse(line) as Reply;
      const waiter = typeof reply.id === 'number' ? this.waiting.get(reply.id) : undefined;
      if (waiter !== undefined) {
        this.waiting.delete(reply.id as number);
        waiter(reply);
      } else {
        this.unmatched.push(reply);
        this.unmatchedWaiter?.();
      }
    }
  }
}
