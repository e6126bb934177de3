// The JetStream key-value bucket the workload uses: its name, its settings, and how a
// workload key becomes a NATS key.

import type { KvOptions } from 'nats';

export const natsBucket = 'raft-chaos';
/** The stream JetStream keeps the bucket in. */
export const natsBucketStream = `KV_${natsBucket}`;

/**
 * Three replicas, one value per key. Reads go to the stream leader (`allow_direct: false`):
 * direct gets, the client's default on 2.9, may be answered by any replica, a lagging one
 * included.
 */
export const natsBucketOptions: Partial<KvOptions> = { replicas: 3, history: 1, allow_direct: false };

const plainKey = /^[-_=a-zA-Z0-9]+$/;

/** Keys with characters NATS keys may not carry (or `.`, a token separator) are base64url-encoded. */
export function natsKey(key: string): string {
  return plainKey.test(key) ? key : `b64.${Buffer.from(key, 'utf8').toString('base64url')}`;
}
