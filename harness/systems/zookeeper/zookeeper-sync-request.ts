// ZooKeeper's `sync` for node-zookeeper-client 1.1.3, which has no sync call: a small seam.
// A sync request is the path alone (the same record as GetACLRequest), and its answer is the
// path alone (the same record as CreateResponse). The library picks the parser of an answer
// by the request's op code, and has none for sync, so the request carries CREATE's op code
// in the library's bookkeeping and SYNC's on the wire. Pinned to 1.1.3; its test runs it
// against a real server.

import { createRequire } from 'node:module';
import type { Client } from 'node-zookeeper-client';

interface JuteRecord {
  [field: string]: unknown;
}

interface JuteRequest {
  header: { type: number };
  toBuffer(): Buffer;
}

interface Jute {
  OP_CODES: { CREATE: number; SYNC: number };
  protocol: { RequestHeader: new () => JuteRecord; GetACLRequest: new () => JuteRecord };
  Request: new (header: JuteRecord, payload: JuteRecord) => JuteRequest;
}

interface ConnectionManager {
  queue(request: JuteRequest, callback: (error: Error | null) => void): void;
}

const jute = createRequire(import.meta.url)('node-zookeeper-client/lib/jute/index.js') as Jute;

function syncRequest(path: string): JuteRequest {
  const header = new jute.protocol.RequestHeader();
  header.type = jute.OP_CODES.CREATE;
  const payload = new jute.protocol.GetACLRequest();
  payload.path = path;
  const request = new jute.Request(header, payload);
  const toBuffer = request.toBuffer.bind(request);
  request.toBuffer = () => {
    request.header.type = jute.OP_CODES.SYNC;
    try {
      return toBuffer();
    } finally {
      request.header.type = jute.OP_CODES.CREATE;
    }
  };
  return request;
}

/** Makes the server this client is connected to catch up with the leader as of now. */
export function syncPath(client: Client, path: string, callback: (error: Error | null) => void): void {
  const manager = (client as unknown as { connectionManager: ConnectionManager }).connectionManager;
  manager.queue(syncRequest(path), callback);
}
