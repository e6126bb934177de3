import t from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { isListeningInGroup, listeningSocketInodes } from '../../harness/shared/listening-socket-owner.js';
import { freePorts } from '../../harness/shared/free-ports.js';

const table = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:8A0D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5551 1 0000000000000000 100 0 0 10 0
   1: 0100007F:8A0D 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 5552 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5553 1 0000000000000000 100 0 0 10 0
`;

t.test('the inodes of the sockets listening on a port, not its connections nor other ports', async (t) => {
  t.same(listeningSocketInodes(table, 0x8a0d), ['5551']);
  t.same(listeningSocketInodes(table, 80), ['5553']);
  t.same(listeningSocketInodes(table, 8080), []);
  t.same(listeningSocketInodes('', 80), []);
});

function ownProcessGroup(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

t.test('a listener in the group is found; one in another group, or no listener, is not', async (t) => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const port = (server.address() as AddressInfo).port;
  t.equal(await isListeningInGroup(port, ownProcessGroup()), true, 'this process listens on it');

  const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
  await once(other, 'spawn');
  t.teardown(() => other.kill('SIGKILL'));
  t.equal(await isListeningInGroup(port, other.pid!), false, 'a group that does not hold the listener');

  const [unused] = await freePorts(1);
  t.equal(await isListeningInGroup(unused!, ownProcessGroup()), false, 'nobody listens on the port');
});
