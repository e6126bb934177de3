// etcd names members by a 64-bit id; the harness by node name (`--name`). This learns the names
// from the member list, once, and again whenever an id it does not know turns up.

import type { Etcd3 } from 'etcd3';

export class EtcdMemberNames {
  private readonly names = new Map<string, string>();
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly client: () => Etcd3,
    private readonly timeoutMs: number,
  ) {}

  /** The node name of a member id, or `member <id>` while it is not known yet. */
  nameOf(memberId: string): string {
    const name = this.names.get(memberId);
    if (name !== undefined) return name;
    void this.refresh();
    return `member ${memberId}`;
  }

  /** Records what a member said about itself. */
  learn(memberId: string, node: string): void {
    this.names.set(memberId, node);
  }

  /** Asks the member list once (at most one question in flight); failures are left for the next miss. */
  refresh(): Promise<void> {
    this.refreshing ??= this.client()
      .cluster.memberList({}, { deadline: Date.now() + this.timeoutMs })
      .then((response) => {
        for (const member of response.members) if (member.name !== '') this.names.set(member.ID, member.name);
      })
      .catch(() => undefined)
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }
}
