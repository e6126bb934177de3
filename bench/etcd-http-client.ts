// A minimal client for etcd's JSON gateway (`POST /v3/kv/put`, `POST /v3/kv/range`, base64
// keys and values) over keep-alive HTTP, sending to the leader's member and moving to the next
// member when a request fails. A range is linearizable by default.

import { Agent, request } from 'node:http';

export interface EtcdHttpClientOptions {
  /** Member -> client URL. */
  clientUrls: Readonly<Record<string, string>>;
  /** Most concurrent keep-alive connections per member. */
  maxSockets: number;
  requestTimeoutMs: number;
}

export class EtcdHttpClient {
  #urls: Readonly<Record<string, string>>;
  #members: string[];
  #agent: Agent;
  #timeoutMs: number;
  #current = 0;

  constructor(options: EtcdHttpClientOptions) {
    this.#urls = options.clientUrls;
    this.#members = Object.keys(options.clientUrls);
    this.#agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
    this.#timeoutMs = options.requestTimeoutMs;
  }

  /** Sends to `member` from now on (the leader, found with `leader()`). */
  prefer(member: string): void {
    this.#current = Math.max(0, this.#members.indexOf(member));
  }

  /** `true`, or an error code: `refused`, `timeout`, `http_<status>`, `error_in_body`, `failed`. */
  async put(key: string, value: string): Promise<true | string> {
    return this.#kv('/v3/kv/put', { key: base64(key), value: base64(value) });
  }

  async get(key: string): Promise<true | string> {
    return this.#kv('/v3/kv/range', { key: base64(key) });
  }

  /** The member that says it is the leader, or null. */
  async leader(members: readonly string[] = this.#members): Promise<string | null> {
    for (const member of members) {
      const status = await this.memberStatus(member);
      if (status !== null && status.leader === status.memberId) return member;
    }
    return null;
  }

  /** A member's own id and the leader id it knows (`0` or absent: none), or null when it does not answer. */
  async memberStatus(member: string): Promise<{ memberId: string; leader: string | null } | null> {
    const answer = await this.#post(member, '/v3/maintenance/status', {}).catch(() => null);
    if (answer === null) return null;
    const header = answer.header as { member_id?: string } | undefined;
    const leader = typeof answer.leader === 'string' && answer.leader !== '0' ? answer.leader : null;
    return { memberId: header?.member_id ?? '', leader };
  }

  close(): void {
    this.#agent.destroy();
  }

  async #kv(path: string, body: Record<string, string>): Promise<true | string> {
    const member = this.#members[this.#current]!;
    try {
      const answer = await this.#post(member, path, body);
      return answer.header !== undefined && answer.error === undefined ? true : 'error_in_body';
    } catch (error) {
      if (this.#members[this.#current] === member) this.#current = (this.#current + 1) % this.#members.length;
      return errorCode(error as Error);
    }
  }

  #post(member: string, path: string, body: unknown): Promise<Record<string, unknown>> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        `${this.#urls[member]}${path}`,
        { method: 'POST', agent: this.#agent, timeout: this.#timeoutMs, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            if (response.statusCode !== 200) return reject(new Error(`etcd ${member} ${path}: HTTP ${response.statusCode} ${text.slice(0, 200)}`));
            try {
              resolve(JSON.parse(text) as Record<string, unknown>);
            } catch (error) {
              reject(error as Error);
            }
          });
          response.on('error', reject);
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`etcd ${member} ${path}: no answer within ${this.#timeoutMs} ms`)));
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }
}

function errorCode(error: Error & { code?: string }): string {
  if (error.code === 'ECONNREFUSED') return 'refused';
  const status = /HTTP (\d+)/.exec(error.message);
  if (status !== null) return `http_${status[1]}`;
  if (error.message.includes('no answer within')) return 'timeout';
  return 'failed';
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
