// Link cuts by address really drop packets: a process in node A's group cannot complete a TCP
// connect to node B's address while A->B is cut, and can again after heal; the chains are gone
// after remove. Root only (iptables); skipped with the reason elsewhere.

import { execa } from 'execa';
import t from 'tap';
import { cutRules, IptablesLinkCutter, iptablesChainName } from '../../../harness/platforms/local/iptables-link-cutter.js';
import { loopbackAddresses, randomLoopbackAddresses } from '../../../harness/platforms/local/loopback-addresses.js';
import { iptablesUnavailableReason } from '../../../harness/shared/iptables-support.js';

const listener = `
const net = require('node:net');
const server = net.createServer((socket) => socket.end('hello ' + socket.remoteAddress + '\\n'));
server.listen(0, process.argv[1], () => console.log(server.address().port));
`;
const connector = `
const net = require('node:net');
const socket = net.connect({ host: process.argv[1], port: Number(process.argv[2]) });
socket.setTimeout(Number(process.argv[3]), () => { console.log('timeout'); process.exit(0); });
socket.on('data', (data) => { console.log(String(data).trim()); process.exit(0); });
socket.on('error', (error) => { console.log('error ' + error.message); process.exit(0); });
`;

t.test('addresses and rules are pure functions of the nodes', async (t) => {
  const addresses = loopbackAddresses(['raft-0', 'raft-1'], 150, 7, 40_016);
  t.same(addresses, [
    { node: 'raft-0', host: '127.150.7.1', groupId: 40_016 },
    { node: 'raft-1', host: '127.150.7.2', groupId: 40_017 },
  ]);
  t.same(cutRules('rc-x', addresses, [{ from: 'raft-1', to: 'raft-0' }]), [
    ['-t', 'filter', '-A', 'rc-x', '-m', 'owner', '--gid-owner', '40017', '-d', '127.150.7.1', '-j', 'DROP'],
    ['-t', 'filter', '-A', 'rc-x', '-m', 'owner', '--gid-owner', '40017', '-m', 'conntrack', '--ctorigdst', '127.150.7.1', '-j', 'DROP'],
  ], 'direct packets, and packets redirected to a link proxy (their original destination)');
  t.throws(() => cutRules('rc-x', addresses, [{ from: 'raft-1', to: 'raft-9' }]), /unknown node/);
  t.ok(iptablesChainName('a-very-long-run-id-with-a-scenario-name-in-it').length <= 28);
  t.not(iptablesChainName('run-1'), iptablesChainName('run-2'));
});

t.test('a cut drops packets between the two addresses, heal restores them, remove leaves nothing', { skip: iptablesUnavailableReason() ?? false }, async (t) => {
  const [a, b] = randomLoopbackAddresses(['raft-0', 'raft-1']);
  if (a === undefined || b === undefined) throw new Error('two nodes give two addresses');
  const cutter = new IptablesLinkCutter(iptablesChainName(`cutter-test-${process.pid}`), [a, b]);
  const server = execa(process.execPath, ['-e', listener, b.host], { gid: b.groupId, buffer: false, reject: false });
  t.teardown(async () => {
    server.kill('SIGKILL');
    await server;
    await cutter.remove();
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim())));
    server.once('exit', () => reject(new Error('the listener exited before listening')));
  });
  const connect = async (timeoutMs: number) => (await execa(process.execPath, ['-e', connector, b.host, String(port), String(timeoutMs)], { gid: a.groupId, timeout: timeoutMs + 10_000 })).stdout;
  await cutter.install();
  t.equal(await connect(10_000), `hello ${a.host}`, 'before the cut A reaches B, with its own address as source');
  await cutter.replaceCuts([{ from: 'raft-0', to: 'raft-1' }]);
  t.equal(await connect(1_500), 'timeout', 'while A->B is cut, the connect times out');
  await cutter.healAll();
  t.equal(await connect(10_000), `hello ${a.host}`, 'after heal A reaches B again');
  await cutter.remove();
  const rules = (await execa('iptables', ['-S'])).stdout + (await execa('iptables', ['-t', 'nat', '-S'])).stdout;
  t.notMatch(rules, cutter.chain, 'no rule or chain of the run is left');
});
