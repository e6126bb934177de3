// A ZooKeeper node's status, from the four-letter words on client ports: `srvr` gives the
// node's mode (leader, follower, or not serving while it elects) and its last zxid; `mntr`
// its peer state and uptime. The term is the zxid's epoch (its high 32 bits). A follower does
// not say whom it follows over 4lw, so its leader is the node that leads in `srvr`; and a
// follower's own zxid keeps the old epoch until the new leader's first transaction, so a
// follower in the broadcast phase takes the leader's epoch and counts as holding the history
// up to the leader's NEWLEADER point (epoch << 32), which it synced before broadcasting.
// The instance is the start time (now minus uptime, in whole seconds).

import type { StatusFields } from '../../../raft/protocol/registry.js';
import type { SystemNodeStatus } from '../system-node-status.js';
import type { ClosableStatusProbe } from '../../cluster-health/client-status-probe.js';
import { askFourLetterWord } from './four-letter-word.js';

const epochFactor = 2 ** 32;

export interface ServerReport {
  mode: 'leader' | 'follower' | 'not serving' | string;
  zxid: number;
  /** `mntr`'s zk_peer_state, e.g. `following - broadcast`. */
  peerState?: string;
  uptimeMs?: number;
}

/** Pure: `srvr` and `mntr` answers to a report. */
export function parseServerReport(srvr: string, mntr: string): ServerReport {
  const mode = /^Mode: (\S+)/m.exec(srvr)?.[1] ?? 'not serving';
  const zxid = /^Zxid: (0x[0-9a-fA-F]+)/m.exec(srvr)?.[1];
  const peerState = /^zk_peer_state\t(.*)$/m.exec(mntr)?.[1];
  const uptime = /^zk_uptime\t(\d+)$/m.exec(mntr)?.[1];
  return {
    mode,
    zxid: zxid === undefined ? 0 : Number(BigInt(zxid)),
    ...(peerState === undefined ? {} : { peerState }),
    ...(uptime === undefined ? {} : { uptimeMs: Number(uptime) }),
  };
}

export function epochOf(zxid: number): number {
  return Math.floor(zxid / epochFactor);
}

/** Pure: the node's status from its own report and those of the other nodes that answered. */
export function zookeeperStatusFromReports(node: string, own: ServerReport, reports: Record<string, ServerReport>, nowMs: number): SystemNodeStatus {
  const leaders = Object.entries(reports).filter(([, report]) => report.mode === 'leader');
  leaders.sort(([, left], [, right]) => right.zxid - left.zxid);
  const [leaderNode, leaderReport] = leaders[0] ?? [null, undefined];
  const role = own.mode === 'leader' ? 'leader' : own.mode === 'follower' ? 'follower' : 'candidate';
  const synced = role === 'follower' && own.peerState?.endsWith('broadcast') === true && leaderReport !== undefined;
  const zxid = synced ? Math.max(own.zxid, epochOf(leaderReport.zxid) * epochFactor) : own.zxid;
  const status: StatusFields = {
    node,
    role,
    term: epochOf(role === 'follower' && leaderReport !== undefined ? leaderReport.zxid : zxid),
    leader: role === 'leader' ? node : role === 'follower' ? leaderNode : null,
    commitIndex: zxid,
    lastApplied: zxid,
    lastLogIndex: zxid,
  };
  const instance = own.uptimeMs === undefined ? 'unknown' : `started-${Math.round((nowMs - own.uptimeMs) / 1000)}`;
  return { status, instance };
}

async function report(address: string, timeoutMs: number): Promise<ServerReport> {
  const [srvr, mntr] = await Promise.all([askFourLetterWord(address, 'srvr', timeoutMs), askFourLetterWord(address, 'mntr', timeoutMs)]);
  return parseServerReport(srvr, mntr);
}

/** Asks `node` and, for whom it follows, every other node; throws when `node` itself does not answer. */
export async function zookeeperNodeStatus(node: string, addresses: Record<string, string>, timeoutMs: number): Promise<SystemNodeStatus> {
  const address = addresses[node];
  if (address === undefined) throw new Error(`zookeeper status: no client address for ${node}`);
  const own = await report(address, timeoutMs);
  const reports: Record<string, ServerReport> = { [node]: own };
  if (own.mode !== 'leader') {
    const others = Object.entries(addresses).filter(([other]) => other !== node);
    const answers = await Promise.all(others.map(([, otherAddress]) => report(otherAddress, timeoutMs).catch(() => undefined)));
    others.forEach(([other], index) => {
      const answer = answers[index];
      if (answer !== undefined) reports[other] = answer;
    });
  }
  return zookeeperStatusFromReports(node, own, reports, Date.now());
}

/** The ZooKeeper status probe: four-letter words over fresh connections, nothing to keep open. */
export function createZookeeperStatusProbe(addresses: () => Readonly<Record<string, string>>, statusTimeoutMs: number): ClosableStatusProbe {
  return {
    probe: async (node) => {
      try {
        const answer = await zookeeperNodeStatus(node, { ...addresses() }, statusTimeoutMs);
        return { node, answered: true, status: answer.status };
      } catch (error) {
        return { node, answered: false, error: (error as Error).message };
      }
    },
    close: () => undefined,
  };
}
