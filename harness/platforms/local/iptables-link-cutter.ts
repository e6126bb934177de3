// Cuts directed links between nodes that each have their own loopback address and group id
// (loopback-addresses.ts), for systems whose nodes dial the peer addresses of their membership
// themselves (no per-link proxy can sit in between). Two chains named after the run:
// - nat <chain>, jumped to from POSTROUTING: a node's outgoing connections get its own address
//   as source (SNAT by group id), so replies to it carry its address as destination;
// - filter <chain>, jumped to from OUTPUT: cutting from->to drops every packet a process of
//   `from` sends to `to`'s address, on connections either side dialed.
// Heal flushes the filter chain; remove deletes both chains and their jumps (teardown, sweep).

import { createHash } from 'node:crypto';
import { execa } from 'execa';
import type { Link } from '../../platform/platform.js';
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

/** Deletes a run's chains and their jumps; nothing to do when they are gone already. */
export async function removeIptablesChains(chain: string): Promise<void> {
  for (const [table, hook] of [['filter', 'OUTPUT'], ['nat', 'POSTROUTING']] as const) {
    await iptablesIfPresent(['-t', table, '-D', hook, '-j', chain]);
    await iptablesIfPresent(['-t', table, '-F', chain]);
    await iptablesIfPresent(['-t', table, '-X', chain]);
  }
}

/** Pure: the filter rules that cut these links. */
export function cutRules(chain: string, addresses: readonly NodeAddress[], links: readonly Link[]): string[][] {
  const byNode = new Map(addresses.map((address) => [address.node, address]));
  return links.map((link) => {
    const from = byNode.get(link.from);
    const to = byNode.get(link.to);
    if (from === undefined || to === undefined) throw new Error(`link cut ${link.from}->${link.to}: unknown node; the cluster's nodes are ${[...byNode.keys()].join(', ')}`);
    return ['-t', 'filter', '-A', chain, '-m', 'owner', '--gid-owner', String(from.groupId), '-d', to.host, '-j', 'DROP'];
  });
}

export class IptablesLinkCutter {
  private installed = false;

  constructor(
    readonly chain: string,
    private readonly addresses: readonly NodeAddress[],
  ) {}

  /** Creates both chains, their jumps and the SNAT rules; before any node starts. */
  async install(): Promise<void> {
    await removeIptablesChains(this.chain);
    this.installed = true;
    for (const [table, hook] of [['filter', 'OUTPUT'], ['nat', 'POSTROUTING']] as const) {
      await iptables(['-t', table, '-N', this.chain]);
      await iptables(['-t', table, '-I', hook, '1', '-j', this.chain]);
    }
    for (const address of this.addresses) {
      await iptables(['-t', 'nat', '-A', this.chain, '-o', 'lo', '-m', 'owner', '--gid-owner', String(address.groupId), '-j', 'SNAT', '--to-source', address.host]);
    }
  }

  /** Cuts exactly these directed links (replacing the cuts before). */
  async replaceCuts(links: readonly Link[]): Promise<void> {
    const rules = cutRules(this.chain, this.addresses, links);
    await iptables(['-t', 'filter', '-F', this.chain]);
    for (const rule of rules) await iptables(rule);
  }

  async healAll(): Promise<void> {
    if (this.installed) await iptables(['-t', 'filter', '-F', this.chain]);
  }

  async remove(): Promise<void> {
    await removeIptablesChains(this.chain);
    this.installed = false;
  }
}
