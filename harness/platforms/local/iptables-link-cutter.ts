// Cuts and shapes directed links between nodes that each have their own loopback address and
// group id (loopback-addresses.ts), for systems whose nodes dial the peer addresses of their
// membership themselves (no per-link proxy is in their configuration). Three chains named after
// the run:
// - nat <chain>, jumped to from POSTROUTING: a node's outgoing connections get its own address
//   as source (SNAT by group id), so replies to it carry its address as destination;
// - nat <chain>-dnat, jumped to from OUTPUT: while a link is delayed, connections either of its
//   two nodes opens to the other's peer port are redirected to the harness's link proxy of that
//   pair (link-proxy.ts, which delays in order, with seeded jitter, and dials on with the
//   dialer's address as source);
// - filter <chain>, jumped to from OUTPUT: cutting from->to drops every packet a process of
//   `from` sends to `to`'s address, on connections either side dialed, redirected ones included
//   (their original destination); a lossy link drops that fraction of those packets (iptables
//   `statistic`, the kernel's own random numbers: loss is not replayed by the seed); a delayed
//   link resets the direct peer connections still open, so the nodes reconnect through the proxy.
// The kernel here has no `tc netem` (CONFIG_NET_SCH_NETEM unset), so delay is the proxy's.
// Heal flushes the filter and dnat chains; remove deletes every chain and its jump (teardown, sweep).

import { createHash } from 'node:crypto';
import { execa } from 'execa';
import type { Link, LinkShape } from '../../platform/platform.js';
import { iptablesPath } from '../../shared/iptables-support.js';
import type { NodeAddress } from './loopback-addresses.js';

/** Pure: the chain of a run, `rc-` and a hash of its id (iptables allows 28 characters). */
export function iptablesChainName(runId: string): string {
  return `rc-${createHash('sha256').update(runId).digest('hex').slice(0, 16)}`;
}

async function iptables(words: string[]): Promise<void> {
  const binary = iptablesPath() ?? 'iptables';
  const result = await execa(binary, ['-w', '5', ...words], { reject: false, timeout: 15_000 });
  if (result.exitCode !== 0) {
    throw new Error(`\`iptables ${words.join(' ')}\` failed (exit ${result.exitCode ?? 'none'}): ${String(result.stderr).trim() || result.shortMessage}`);
  }
}

/** Runs iptables and ignores "no such chain/rule": for removal, which must be idempotent. */
async function iptablesIfPresent(words: string[]): Promise<void> {
  await iptables(words).catch((error: Error) => {
    if (!/No chain|does not exist|Couldn't load target|doesn't exist|Bad rule/i.test(error.message)) throw error;
  });
}

/** Pure: the nat chain, jumped to from OUTPUT, that redirects delayed links to their proxies. */
export function redirectChainName(chain: string): string {
  return `${chain}-dnat`;
}

/** Pure: every chain of a run, with its table and the hook that jumps to it. */
function runChains(chain: string): [table: string, hook: string, chain: string][] {
  return [['filter', 'OUTPUT', chain], ['nat', 'POSTROUTING', chain], ['nat', 'OUTPUT', redirectChainName(chain)]];
}

/** Deletes a run's chains and their jumps; nothing to do when they are gone already. */
export async function removeIptablesChains(chain: string): Promise<void> {
  for (const [table, hook, name] of runChains(chain)) {
    await iptablesIfPresent(['-t', table, '-D', hook, '-j', name]);
    await iptablesIfPresent(['-t', table, '-F', name]);
    await iptablesIfPresent(['-t', table, '-X', name]);
  }
}

function endpoints(addresses: readonly NodeAddress[], link: Link, what: string): { from: NodeAddress; to: NodeAddress } {
  const from = addresses.find((address) => address.node === link.from);
  const to = addresses.find((address) => address.node === link.to);
  if (from === undefined || to === undefined) throw new Error(`${what} ${link.from}->${link.to}: unknown node; the cluster's nodes are ${addresses.map((address) => address.node).join(', ')}`);
  return { from, to };
}

/** Pure: matches for every packet a process of `from` sends to `to`: direct, or redirected to a proxy. */
function packetsBetween(from: NodeAddress, to: NodeAddress): string[][] {
  const owner = ['-m', 'owner', '--gid-owner', String(from.groupId)];
  return [[...owner, '-d', to.host], [...owner, '-m', 'conntrack', '--ctorigdst', to.host]];
}

/** Pure: the filter rules that cut these links. */
export function cutRules(chain: string, addresses: readonly NodeAddress[], links: readonly Link[]): string[][] {
  return links.flatMap((link) => {
    const { from, to } = endpoints(addresses, link, 'link cut');
    return packetsBetween(from, to).map((match) => ['-t', 'filter', '-A', chain, ...match, '-j', 'DROP']);
  });
}

/** Where a node listens for its peers, and the proxy port of each directed pair (`from->to`). */
export interface ShapingPorts {
  peerPort: (node: string) => number;
  proxyPort: (link: Link) => number;
}

/** Pure: both directions of every link, each once. */
function bothDirections(links: readonly Link[]): Link[] {
  const keys = new Set<string>();
  return links.flatMap((link) => [link, { from: link.to, to: link.from }]).filter((link) => {
    const key = `${link.from}->${link.to}`;
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  });
}

/**
 * Pure: the rules that shape these links. Loss: filter rules dropping `dropRate` of the packets
 * `from` sends to `to`. Delay (or jitter): for both directed pairs of each link, a nat rule
 * redirecting new connections to the peer port to the pair's proxy, and a filter rule resetting
 * the direct connections still open.
 */
export function shapeRules(chain: string, addresses: readonly NodeAddress[], links: readonly Link[], shape: LinkShape, ports: ShapingPorts): string[][] {
  const rules: string[][] = [];
  if (shape.dropRate > 0) {
    const probability = Math.min(1, shape.dropRate).toFixed(6);
    for (const link of links) {
      const { from, to } = endpoints(addresses, link, 'link shape');
      for (const match of packetsBetween(from, to)) rules.push(['-t', 'filter', '-A', chain, ...match, '-m', 'statistic', '--mode', 'random', '--probability', probability, '-j', 'DROP']);
    }
  }
  if (shape.delayMs <= 0 && shape.jitterMs <= 0) return rules;
  for (const link of bothDirections(links)) {
    const { from, to } = endpoints(addresses, link, 'link shape');
    const peer = ['-m', 'owner', '--gid-owner', String(from.groupId), '-p', 'tcp', '-d', to.host, '--dport', String(ports.peerPort(link.to))];
    rules.push(['-t', 'nat', '-A', redirectChainName(chain), ...peer, '-j', 'DNAT', '--to-destination', `127.0.0.1:${ports.proxyPort(link)}`]);
    rules.push(['-t', 'filter', '-A', chain, ...peer, '-j', 'REJECT', '--reject-with', 'tcp-reset']);
  }
  return rules;
}

export class IptablesLinkCutter {
  private installed = false;
  private cuts: readonly Link[] = [];
  private shaping: { links: readonly Link[]; shape: LinkShape; ports: ShapingPorts } | undefined;

  constructor(
    readonly chain: string,
    private readonly addresses: readonly NodeAddress[],
  ) {}

  /** Creates the chains, their jumps and the SNAT rules; before any node starts. */
  async install(): Promise<void> {
    await removeIptablesChains(this.chain);
    this.installed = true;
    for (const [table, hook, name] of runChains(this.chain)) {
      await iptables(['-t', table, '-N', name]);
      await iptables(['-t', table, '-I', hook, '1', '-j', name]);
    }
    for (const address of this.addresses) {
      await iptables(['-t', 'nat', '-A', this.chain, '-o', 'lo', '-m', 'owner', '--gid-owner', String(address.groupId), '-j', 'SNAT', '--to-source', address.host]);
    }
  }

  /** Cuts exactly these directed links (replacing the cuts before); the shaping stays. */
  async replaceCuts(links: readonly Link[]): Promise<void> {
    cutRules(this.chain, this.addresses, links);
    this.cuts = [...links];
    await this.apply();
  }

  /** Shapes exactly these directed links (replacing the shaping before); the cuts stay. */
  async replaceShaping(links: readonly Link[], shape: LinkShape, ports: ShapingPorts): Promise<void> {
    shapeRules(this.chain, this.addresses, links, shape, ports);
    this.shaping = links.length > 0 ? { links: [...links], shape, ports } : undefined;
    await this.apply();
  }

  async healAll(): Promise<void> {
    this.cuts = [];
    this.shaping = undefined;
    if (this.installed) await this.apply();
  }

  /** Flushes the filter and dnat chains and adds the rules of the cuts and the shaping. */
  private async apply(): Promise<void> {
    const shaping = this.shaping === undefined ? [] : shapeRules(this.chain, this.addresses, this.shaping.links, this.shaping.shape, this.shaping.ports);
    await iptables(['-t', 'filter', '-F', this.chain]);
    await iptables(['-t', 'nat', '-F', redirectChainName(this.chain)]);
    for (const rule of [...cutRules(this.chain, this.addresses, this.cuts), ...shaping]) await iptables(rule);
  }

  async remove(): Promise<void> {
    await removeIptablesChains(this.chain);
    this.installed = false;
  }
}
