// The ZooKeeper driver's pure parts and its client's robustness: zoo.cfg and myid, the status
// read from four-letter words, and a server answering what the client library cannot parse.

import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import t from 'tap';
import type { NodeLaunchContext } from '../../harness/systems/system.js';
import { ZookeeperKeyValueClient } from '../../harness/systems/zookeeper/zookeeper-client.js';
import { electionPort, zookeeperConfiguration, zookeeperLaunch } from '../../harness/systems/zookeeper/zookeeper-launch.js';
import { parseServerReport, zookeeperStatusFromReports } from '../../harness/systems/zookeeper/zookeeper-status.js';

t.test('zoo.cfg names every server with its peer and election ports, myid is the position plus one', async (t) => {
  const nodes = ['a', 'b', 'c'].map((node, index) => ({ node, index, host: `127.9.9.${index + 1}`, listenHost: `127.9.9.${index + 1}`, clientPort: 100 + index, peerPort: 200 + index }));
  const context: NodeLaunchContext = { self: nodes[1]!, nodes, dataDir: '/d/b', peerAddress: (node) => `127.9.9.${node === 'a' ? 1 : 3}:${node === 'a' ? 200 : 202}`, serverEnv: {} };
  const launch = zookeeperLaunch(context);
  t.match(zookeeperConfiguration(context), 'server.1=127.9.9.1:200:201\nserver.2=127.9.9.2:201:202\nserver.3=127.9.9.3:202:203');
  t.match(zookeeperConfiguration(context), 'clientPort=101\nclientPortAddress=127.9.9.2\n');
  t.same(launch.files?.myid, '2\n');
  t.equal(electionPort({ clientPort: 301, peerPort: 300 }), 302, 'the election port steps over the client port');
  t.equal(electionPort({ clientPort: 1, peerPort: 65_535 }), 65_534, 'and stays below 65536');
});

t.test('a follower in broadcast takes the epoch and the leader of the node leading', async (t) => {
  const leader = parseServerReport('Zxid: 0x300000000\nMode: leader\n', 'zk_peer_state\tleading - broadcast\nzk_uptime\t5000\n');
  const follower = parseServerReport('Zxid: 0x200000007\nMode: follower\n', 'zk_peer_state\tfollowing - broadcast\nzk_uptime\t7000\n');
  const status = zookeeperStatusFromReports('f', follower, { f: follower, l: leader }, 100_000);
  t.match(status.status, { role: 'follower', leader: 'l', term: 3, commitIndex: 3 * 2 ** 32 });
  t.equal(status.instance, 'started-93');
  const electing = parseServerReport('This ZooKeeper instance is not currently serving requests\n', '');
  t.match(zookeeperStatusFromReports('e', electing, { e: electing, l: leader }, 0).status, { role: 'candidate', leader: null });
});

/** A session answer: protocol 0, a 10 s session, session id 1, a 16-byte password. */
function connectResponse(): Buffer {
  const frame = Buffer.alloc(4 + 4 + 4 + 8 + 4 + 16);
  frame.writeInt32BE(frame.length - 4, 0);
  frame.writeInt32BE(10_000, 8);
  frame.writeBigInt64BE(1n, 12);
  frame.writeInt32BE(16, 20);
  return frame;
}

/** A reply to the first request (xid 0) with an error code no ZooKeeper client knows. */
function unknownErrorReply(): Buffer {
  const frame = Buffer.alloc(4 + 4 + 8 + 4);
  frame.writeInt32BE(16, 0);
  frame.writeInt32BE(0, 4);
  frame.writeInt32BE(12_345, 16);
  return frame;
}

t.test('a reply the client library cannot parse fails the call; it never throws out of the socket', async (t) => {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.write(connectResponse());
    socket.once('data', () => socket.write(unknownErrorReply()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const client = new ZookeeperKeyValueClient({ addresses: { odd: `127.0.0.1:${port}` }, requestTimeoutMs: 1_000, syncBeforeRead: false });
  try {
    t.match(await client.get('k'), { ok: false, definite: false }, 'the call fails, classified, and the process lives on');
  } finally {
    client.close();
    server.close();
    for (const socket of sockets) socket.destroy();
  }
});
