// The status of one etcd member from its maintenance Status call, in the shape cluster-health
// reads: it leads when the leader id it reports is its own id; term is the raft term, commitIndex
// and lastApplied the raft committed and applied indexes. One connection per member, remade when
// its address changes.

import type { Etcd3, IStatusResponse } from 'etcd3';
import type { StatusFields } from '../../../raft/protocol/registry.js';
import type { ClosableStatusProbe } from '../../cluster-health/client-status-probe.js';
import { etcdConnection, withDeadline } from './etcd-connection.js';
import { EtcdMemberNames } from './etcd-member-names.js';

/** Pure: a Status answer as the harness's status fields. */
export function etcdStatusFields(node: string, status: IStatusResponse, leaderName: (memberId: string) => string): StatusFields {
  const self = status.header.member_id;
  const commitIndex = Number(status.raftIndex);
  const applied = Number(status.raftAppliedIndex);
  return {
    node,
    role: status.leader === self ? 'leader' : 'follower',
    term: Number(status.raftTerm),
    leader: status.leader === '0' || status.leader === '' ? null : status.leader === self ? node : leaderName(status.leader),
    commitIndex,
    lastApplied: applied > 0 ? applied : commitIndex,
    lastLogIndex: commitIndex,
  };
}

export function createEtcdStatusProbe(addresses: () => Readonly<Record<string, string>>, statusTimeoutMs: number): ClosableStatusProbe {
  const connections = new Map<string, { address: string; client: Etcd3 }>();
  let closed = false;
  const connectionTo = (node: string): Etcd3 => {
    const address = addresses()[node];
    if (address === undefined) throw new Error(`no client address for ${node}`);
    const current = connections.get(node);
    if (current?.address === address) return current.client;
    current?.client.close();
    const client = etcdConnection([address], statusTimeoutMs);
    connections.set(node, { address, client });
    if (closed) client.close();
    return client;
  };
  const names = new EtcdMemberNames(() => connectionTo(Object.keys(addresses())[0] ?? ''), statusTimeoutMs);
  return {
    probe: async (node) => {
      try {
        const status = await connectionTo(node).maintenance.status(withDeadline(statusTimeoutMs));
        names.learn(status.header.member_id, node);
        return { node, answered: true, status: etcdStatusFields(node, status, (id) => names.nameOf(id)) };
      } catch (error) {
        return { node, answered: false, error: (error as Error).message };
      }
    },
    close: () => {
      closed = true;
      for (const { client } of connections.values()) client.close();
    },
  };
}
