// Link shaping by address with real packets: while A->B is delayed, a round trip from a process
// in node A's group to node B's address takes at least the delay (through the link proxy, which
// dials on from A's address), while the same process's traffic to another address and another
// process's traffic to B are not delayed, and a cut still holds; while A->B drops every packet, A cannot connect to B
// and others still can; heal restores A->B and remove leaves no chain, nor does `harness clean`
// after a harness that is gone. Root only (iptables);
// skipped with the reason elsewhere.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import t from 'tap';
import { linkRandom } from '../../../harness/platform/link-random.js';
import type { Link, LinkShape } from '../../../harness/platform/platform.js';
import { IptablesLinkCutter, iptablesChainName, redirectChainName, shapeRules } from '../../../harness/platforms/local/iptables-link-cutter.js';
import { LinkProxy } from '../../../harness/platforms/local/link-proxy.js';
import { LinkTable } from '../../../harness/platforms/local/link-table.js';
import { loopbackAddresses, randomLoopbackAddresses, type NodeAddress } from '../../../harness/platforms/local/loopback-addresses.js';
import { writeRunRecord } from '../../../harness/platforms/local/run-record.js';
import { sweepLocalRuns } from '../../../harness/platforms/local/sweep-local-runs.js';
import { iptablesUnavailableReason } from '../../../harness/shared/iptables-support.js';

/** Answers every chunk with the address it came from. */
const echo = `
const net = require('node:net');
const server = net.createServer((socket) => socket.on('data', () => socket.write(socket.remoteAddress + '\\n')));
server.listen(0, process.argv[1], () => console.log(server.address().port));
`;

/** Connects, then times three round trips; prints the source address B saw and the slowest trip, or `timeout`. */
const pinger = `
const net = require('node:net');
const { performance } = require('node:perf_hooks');
const socket = net.connect({ host: process.argv[1], port: Number(process.argv[2]) });
const timer = setTimeout(() => { console.log('timeout'); process.exit(0); }, Number(process.argv[3]));
const trips = [];
let sentMs = 0;
const ping = () => { sentMs = performance.now(); socket.write('ping\\n'); };
socket.on('connect', ping);
socket.on('data', (data) => {
  trips.push(performance.now() - sentMs);
  if (trips.length < 3) return ping();
  clearTimeout(timer);
  console.log(JSON.stringify({ source: String(data).trim(), slowestMs: Math.max(...trips) }));
  process.exit(0);
});
socket.on('error', (error) => { console.log('error ' + error.message); process.exit(0); });
`;

interface Trip {
  source: string;
  slowestMs: number;
}

const delayMs = 400;

t.test('shaping rules are pure functions of the nodes, links and ports', async (t) => {
  const addresses = loopbackAddresses(['raft-0', 'raft-1'], 150, 7, 40_016);
  const ports = { peerPort: () => 7001, proxyPort: (link: Link) => (link.from === 'raft-0' ? 9001 : 9002) };
  const link = { from: 'raft-0', to: 'raft-1' };
  t.same(shapeRules('rc-x', addresses, [link], { delayMs: 0, jitterMs: 0, dropRate: 0.25 }, ports), [
    ['-t', 'filter', '-A', 'rc-x', '-m', 'owner', '--gid-owner', '40016', '-d', '127.150.7.2', '-m', 'statistic', '--mode', 'random', '--probability', '0.250000', '-j', 'DROP'],
    ['-t', 'filter', '-A', 'rc-x', '-m', 'owner', '--gid-owner', '40016', '-m', 'conntrack', '--ctorigdst', '127.150.7.2', '-m', 'statistic', '--mode', 'random', '--probability', '0.250000', '-j', 'DROP'],
  ]);
  const delayed = shapeRules('rc-x', addresses, [link], { delayMs: 100, jitterMs: 0, dropRate: 0 }, ports);
  t.same(delayed.filter((rule) => rule.includes('DNAT')).map((rule) => rule.slice(-1)), [['127.0.0.1:9001'], ['127.0.0.1:9002']], 'both directions of the pair go through their proxies');
  t.ok(delayed.every((rule) => rule.includes('--gid-owner')), 'every rule matches a node\'s group: no other traffic on lo');
  t.throws(() => shapeRules('rc-x', addresses, [{ from: 'raft-0', to: 'raft-9' }], { delayMs: 1, jitterMs: 0, dropRate: 0 }, ports), /unknown node/);
});

async function startEcho(t: { teardown: (cleanup: () => unknown) => void }, host: string, groupId: number): Promise<number> {
  const server = execa(process.execPath, ['-e', echo, host], { gid: groupId, buffer: false, reject: false });
  t.teardown(async () => {
    server.kill('SIGKILL');
    await server;
  });
  return new Promise<number>((resolve, reject) => {
    server.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim())));
    server.once('exit', () => reject(new Error(`the echo server on ${host} exited before listening`)));
  });
}

async function roundTrip(host: string, port: number, groupId: number, timeoutMs: number): Promise<Trip | string> {
  const { stdout } = await execa(process.execPath, ['-e', pinger, host, String(port), String(timeoutMs)], { gid: groupId, timeout: timeoutMs + 10_000 });
  return stdout.startsWith('{') ? (JSON.parse(stdout) as Trip) : stdout;
}

async function startProxies(t: { teardown: (cleanup: () => unknown) => void }, table: LinkTable, a: NodeAddress, b: NodeAddress, port: number): Promise<Map<string, LinkProxy>> {
  const proxies = new Map<string, LinkProxy>();
  for (const [dialer, listener] of [[a, b], [b, a]] as const) {
    const link = { from: dialer.node, to: listener.node };
    const proxy = new LinkProxy(dialer.node, listener.node, table, () => port, { framing: 'bytes', random: linkRandom({ seed: 1 }, link) }, { targetHost: listener.host, sourceHost: dialer.host });
    await proxy.listen();
    proxies.set(`${dialer.node}->${listener.node}`, proxy);
  }
  t.teardown(() => Promise.all([...proxies.values()].map((proxy) => proxy.close())));
  return proxies;
}

t.test('a shaped link delays and drops real packets between its two addresses only', { skip: iptablesUnavailableReason() ?? false }, async (t) => {
  const [a, b, other] = randomLoopbackAddresses(['raft-0', 'raft-1', 'elsewhere']);
  if (a === undefined || b === undefined || other === undefined) throw new Error('three nodes give three addresses');
  const cutter = new IptablesLinkCutter(iptablesChainName(`shaping-test-${process.pid}`), [a, b]);
  t.teardown(() => cutter.remove());
  const bPort = await startEcho(t, b.host, b.groupId);
  const otherPort = await startEcho(t, other.host, other.groupId);
  const table = new LinkTable([a.node, b.node]);
  const proxies = await startProxies(t, table, a, b, bPort);
  const ports = { peerPort: () => bPort, proxyPort: (link: Link) => proxies.get(`${link.from}->${link.to}`)!.port };
  const shape = async (links: Link[], linkShape: LinkShape): Promise<void> => {
    table.replaceShapes(links, { ...linkShape, dropRate: 0 });
    await cutter.replaceShaping(links, linkShape, ports);
  };
  await cutter.install();

  const before = await roundTrip(b.host, bPort, a.groupId, 10_000);
  t.match(before, { source: a.host }, 'before shaping A reaches B directly, from its own address');
  await shape([{ from: a.node, to: b.node }], { delayMs, jitterMs: 0, dropRate: 0 });
  const delayed = await roundTrip(b.host, bPort, a.groupId, 20_000);
  t.match(delayed, { source: a.host }, 'through the proxy B still sees A\'s address');
  t.ok(typeof delayed === 'object' && delayed.slowestMs >= delayMs, `A->B round trips take at least ${delayMs} ms (slowest ${JSON.stringify(delayed)})`);
  const toOther = await roundTrip(other.host, otherPort, a.groupId, 10_000);
  t.ok(typeof toOther === 'object' && toOther.slowestMs < delayMs, `A's traffic to another address is not delayed (${JSON.stringify(toOther)})`);
  const fromOther = await roundTrip(b.host, bPort, other.groupId, 10_000);
  t.ok(typeof fromOther === 'object' && fromOther.slowestMs < delayMs, `another group's traffic to B is not delayed (${JSON.stringify(fromOther)})`);
  await cutter.replaceCuts([{ from: a.node, to: b.node }]);
  t.equal(await roundTrip(b.host, bPort, a.groupId, 1_500), 'timeout', 'a cut A->B also holds for connections redirected through the proxy');
  await cutter.replaceCuts([]);

  await shape([{ from: a.node, to: b.node }], { delayMs: 0, jitterMs: 0, dropRate: 1 });
  t.equal(await roundTrip(b.host, bPort, a.groupId, 1_500), 'timeout', 'while A->B drops every packet, A cannot reach B');
  const othersMeanwhile = await roundTrip(b.host, bPort, other.groupId, 10_000);
  t.ok(typeof othersMeanwhile === 'object', `others still reach B (${JSON.stringify(othersMeanwhile)})`);

  table.healAll();
  await cutter.healAll();
  const healed = await roundTrip(b.host, bPort, a.groupId, 10_000);
  t.ok(typeof healed === 'object' && healed.slowestMs < delayMs, `after heal A->B is direct and fast again (${JSON.stringify(healed)})`);
  await cutter.remove();
  const rules = (await execa('iptables', ['-S'])).stdout + (await execa('iptables', ['-t', 'nat', '-S'])).stdout;
  t.notMatch(rules, cutter.chain, 'no rule or chain of the run is left');
});

t.test('harness clean deletes the chains of a run whose harness is gone, the redirecting one included', { skip: iptablesUnavailableReason() ?? false }, async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'raft-chaos-shaping-sweep-'));
  t.teardown(() => rm(stateDir, { recursive: true, force: true }));
  const [a, b] = randomLoopbackAddresses(['raft-0', 'raft-1']);
  if (a === undefined || b === undefined) throw new Error('two nodes give two addresses');
  const runId = `shaping-sweep-test-${process.pid}`;
  const cutter = new IptablesLinkCutter(iptablesChainName(runId), [a, b]);
  t.teardown(() => cutter.remove());
  await cutter.install();
  await cutter.replaceShaping([{ from: a.node, to: b.node }], { delayMs: 100, jitterMs: 0, dropRate: 0.5 }, { peerPort: () => 7001, proxyPort: () => 9001 });
  const rules = async () => (await execa('iptables', ['-S'])).stdout + (await execa('iptables', ['-t', 'nat', '-S'])).stdout;
  t.match(await rules(), redirectChainName(cutter.chain), 'the run has its redirecting chain');
  // A harness that is gone: no process has pid 2^22 + 1 (above pid_max's ceiling).
  const workDir = await mkdtemp(join(tmpdir(), 'raft-chaos-shaping-sweep-work-'));
  await writeRunRecord(stateDir, { runId, harnessPid: 4_194_305, harnessStartTime: 0, workDir, proxyPorts: [], iptablesChain: cutter.chain, nodes: [] });
  const removed = await sweepLocalRuns({ stateDir });
  t.match(removed, [new RegExp(`removed iptables chains ${cutter.chain}`)]);
  t.notMatch(await rules(), cutter.chain, 'no chain of the run is left');
});
