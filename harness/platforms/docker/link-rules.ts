// Pure: the iptables rules, per node network namespace, that make the wanted link faults true.
//
// - A cut link from→to drops every packet `from` sends to `to`, enforced at both ends: an
//   OUTPUT rule in `from`'s namespace and an INPUT rule in `to`'s, so replacing either
//   container leaves the cut in force through the other's rule.
// - A shaped link drops `dropRate` of the packets `from` sends to `to` (iptables `statistic`,
//   in `from`'s OUTPUT). Delay needs `tc netem`, which this kernel may lack, so delay is done
//   by a harness-side proxy: connections `from` opens to `to`'s peer port are DNATed to a
//   delaying proxy on the host, and direct connections still open are reset so the node
//   reconnects through the proxy.

import type { Link, LinkShape } from '../../platform/platform.js';
import { peerPort } from './node-environment.js';

export const ruleComment = 'raft-chaos';

export interface LinkFaults {
  cuts: Link[];
  shaping?: { links: Link[]; shape: LinkShape };
}

export interface RuleSpec {
  table: 'filter' | 'nat';
  chain: 'INPUT' | 'OUTPUT';
  /** Match and target arguments, without the table, chain and comment. */
  args: string[];
}

export interface ProxyAddress {
  host: string;
  port: number;
}

export function linkKey(link: Link): string {
  return `${link.from}->${link.to}`;
}

export function ruleKey(rule: RuleSpec): string {
  return `${rule.table} ${rule.chain} ${rule.args.join(' ')}`;
}

/**
 * Rules per node. `addresses` holds each node's last known address (a node whose address is
 * unknown gets no rules that name it); `delayProxies` the proxy of each delayed link, by linkKey.
 */
export function planLinkRules(
  faults: LinkFaults,
  addresses: ReadonlyMap<string, string>,
  delayProxies: ReadonlyMap<string, ProxyAddress> = new Map(),
): Map<string, RuleSpec[]> {
  const plan = new Map<string, RuleSpec[]>();
  const add = (node: string, rule: RuleSpec): void => {
    const rules = plan.get(node) ?? [];
    if (!rules.some((existing) => ruleKey(existing) === ruleKey(rule))) rules.push(rule);
    plan.set(node, rules);
  };
  for (const link of faults.cuts) {
    const fromAddress = addresses.get(link.from);
    const toAddress = addresses.get(link.to);
    if (toAddress !== undefined) add(link.from, { table: 'filter', chain: 'OUTPUT', args: ['-d', toAddress, '-j', 'DROP'] });
    if (fromAddress !== undefined) add(link.to, { table: 'filter', chain: 'INPUT', args: ['-s', fromAddress, '-j', 'DROP'] });
  }
  for (const link of faults.shaping?.links ?? []) {
    const toAddress = addresses.get(link.to);
    if (toAddress === undefined || faults.shaping === undefined) continue;
    for (const rule of shapingRules(toAddress, faults.shaping.shape, delayProxies.get(linkKey(link)))) add(link.from, rule);
  }
  return plan;
}

function shapingRules(toAddress: string, shape: LinkShape, proxy: ProxyAddress | undefined): RuleSpec[] {
  const rules: RuleSpec[] = [];
  const peer = ['-d', toAddress, '-p', 'tcp', '--dport', String(peerPort)];
  if (proxy !== undefined) {
    rules.push({ table: 'nat', chain: 'OUTPUT', args: [...peer, '-j', 'DNAT', '--to-destination', `${proxy.host}:${proxy.port}`] });
    rules.push({ table: 'filter', chain: 'OUTPUT', args: [...peer, '-j', 'REJECT', '--reject-with', 'tcp-reset'] });
  }
  if (shape.dropRate > 0) {
    const destination = proxy === undefined ? ['-d', toAddress] : ['-d', proxy.host, '-p', 'tcp', '--dport', String(proxy.port)];
    const probability = Math.min(1, shape.dropRate).toFixed(6);
    rules.push({ table: 'filter', chain: 'OUTPUT', args: [...destination, '-m', 'statistic', '--mode', 'random', '--probability', probability, '-j', 'DROP'] });
  }
  return rules;
}
