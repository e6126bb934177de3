// Each node of a system that dials its peers itself gets its own loopback address (the whole of
// 127.0.0.0/8 is routed to lo) and its own group id, so that iptables can tell its traffic apart:
// the address is its listen and (through SNAT) source address, the group id marks its sockets.
// A random base per run keeps concurrent runs on one machine apart.

import { randomInt } from 'node:crypto';

export interface NodeAddress {
  node: string;
  host: string;
  /** The group id the node's processes run with (owner match in iptables). */
  groupId: number;
}

/** Group ids from here up are taken per run: above the ranges distributions hand out. */
const groupIdBase = 40_000;

/** Pure: node i at 127.<second>.<third>.<i+1>, group id base + i. */
export function loopbackAddresses(nodes: readonly string[], second: number, third: number, firstGroupId: number): NodeAddress[] {
  if (nodes.length > 250) throw new Error(`loopback addresses: at most 250 nodes, got ${nodes.length}`);
  return nodes.map((node, index) => ({ node, host: `127.${second}.${third}.${index + 1}`, groupId: firstGroupId + index }));
}

/** A random free-looking block: 127.<100–254>.<0–255>.x and 256 group ids of its own. */
export function randomLoopbackAddresses(nodes: readonly string[]): NodeAddress[] {
  const block = randomInt(0, 155 * 256);
  return loopbackAddresses(nodes, 100 + Math.floor(block / 256), block % 256, groupIdBase + (block % 4096) * 16);
}
