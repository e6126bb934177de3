// Tells peer connections from client connections on a shared port: it holds the bytes of a new
// connection until its first line. `{"peer":"<name>"}` marks a peer; anything else (or a first
// line longer than the client limit) is a client, and every byte read so far is handed on.

import { maxLineBytes } from '../protocol/registry.js';

export type FirstLine =
  | { kind: 'pending' }
  | { kind: 'peer'; peer: string; rest: Buffer }
  | { kind: 'client'; bytes: Buffer };

export class FirstLineReader {
  private held: Buffer[] = [];
  private heldBytes = 0;

  push(chunk: Buffer): FirstLine {
    const end = chunk.indexOf(0x0a);
    if (end === -1) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      if (this.heldBytes > maxLineBytes) return { kind: 'client', bytes: this.takeAll() };
      return { kind: 'pending' };
    }
    const lineEnd = this.heldBytes + end;
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    const bytes = this.takeAll();
    const peer = peerHello(bytes.subarray(0, lineEnd));
    if (peer === null) return { kind: 'client', bytes };
    return { kind: 'peer', peer, rest: bytes.subarray(lineEnd + 1) };
  }

  private takeAll(): Buffer {
    const bytes = this.held.length === 1 ? this.held[0]! : Buffer.concat(this.held, this.heldBytes);
    this.held = [];
    this.heldBytes = 0;
    return bytes;
  }
}

export function peerHelloLine(self: string): string {
  return `${JSON.stringify({ peer: self })}\n`;
}

function peerHello(line: Buffer): string | null {
  if (line.length > 1024 || !line.includes('"peer"')) return null;
  try {
    const value = JSON.parse(line.toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const peer = (value as Record<string, unknown>).peer;
    return typeof peer === 'string' && Object.keys(value).length === 1 ? peer : null;
  } catch {
    return null;
  }
}
