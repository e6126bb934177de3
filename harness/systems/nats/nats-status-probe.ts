// The NATS status probe: one system-account connection per node (to that node alone, remade
// when its address changes), asking the server it is connected to for its JSZ report
// (`$SYS.REQ.SERVER.<id>.JSZ`) within the status timeout. Terms are the probe's own count of
// stream leaderships (leader-epochs.ts).

import { connect, type NatsConnection } from 'nats';
import type { ClosableStatusProbe } from '../../cluster-health/client-status-probe.js';
import { LeaderEpochs } from './leader-epochs.js';
import { natsSystemUser } from './nats-launch.js';
import { bucketReplicas, natsStatusFromReport, type JetStreamReport } from './nats-status.js';

interface ProbeConnection {
  address: string;
  connection: Promise<NatsConnection>;
}

function open(address: string, timeoutMs: number): Promise<NatsConnection> {
  return connect({
    servers: [address],
    ...natsSystemUser,
    noRandomize: true,
    ignoreClusterUpdates: true,
    timeout: timeoutMs,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 200,
  });
}

async function askReport(connection: NatsConnection, timeoutMs: number): Promise<JetStreamReport> {
  const serverId = connection.info?.server_id;
  if (serverId === undefined) throw new Error('not connected');
  const reply = await connection.request(`$SYS.REQ.SERVER.${serverId}.JSZ`, JSON.stringify({ accounts: true, streams: true }), { timeout: timeoutMs });
  const answer = reply.json<{ data?: JetStreamReport; error?: { description?: string } }>();
  if (answer.data === undefined) throw new Error(`JSZ request refused: ${answer.error?.description ?? 'no data'}`);
  return answer.data;
}

export function createNatsStatusProbe(addresses: () => Readonly<Record<string, string>>, statusTimeoutMs: number): ClosableStatusProbe {
  const connections = new Map<string, ProbeConnection>();
  const epochs = new LeaderEpochs();
  /** The servers holding the bucket's stream, as the last report that hosts it named them. */
  let replicas: string[] | undefined;
  let closed = false;
  const connectionTo = (node: string): Promise<NatsConnection> => {
    const address = addresses()[node];
    if (address === undefined) return Promise.reject(new Error(`no client address for ${node}`));
    const current = connections.get(node);
    if (current?.address === address) return current.connection;
    void current?.connection.then((connection) => connection.close()).catch(() => undefined);
    const connection = open(address, statusTimeoutMs);
    connection.catch(() => connections.get(node)?.connection === connection && connections.delete(node));
    connections.set(node, { address, connection });
    if (closed) void connection.then((open) => open.close()).catch(() => undefined);
    return connection;
  };
  return {
    probe: async (node) => {
      try {
        const report = await askReport(await connectionTo(node), statusTimeoutMs);
        replicas = bucketReplicas(report) ?? replicas;
        const found = natsStatusFromReport(node, report, replicas);
        return { node, answered: true, status: epochs.observe(found.status), ...(found.holdsNoReplica ? { holdsNoReplica: true } : {}) };
      } catch (error) {
        return { node, answered: false, error: `nats: ${(error as Error).message}` };
      }
    },
    close: () => {
      closed = true;
      for (const { connection } of connections.values()) void connection.then((open) => open.close()).catch(() => undefined);
    },
  };
}
