// The log command for a client write.
import type { Request } from '../protocol/registry.js';
import type { Command } from './types.js';

export type WriteRequest = Extract<Request, { op: 'put' | 'cas' | 'delete' }>;

/** The command a write request appends, carrying (client, seq) only when both are given. */
export function commandOf(request: WriteRequest): Command {
  const session = request.client !== undefined && request.seq !== undefined ? { client: request.client, seq: request.seq } : {};
  switch (request.op) {
    case 'put':
      return { kind: 'put', key: request.key, value: request.value, ...session };
    case 'cas':
      return { kind: 'cas', key: request.key, from: request.from, to: request.to, ...session };
    case 'delete':
      return { kind: 'delete', key: request.key, ...session };
  }
}
