// Pure: the iptables and tc command lines that cut or shape pod-to-pod links inside the kind
// node containers. Pods sit on different nodes (required anti-affinity), so traffic from pod A
// to pod B is forwarded by A's node: rules go in that node's FORWARD path, in a chain of ours.

import type { LinkShape } from '../../platform/platform.js';

export const chaosChain = 'RAFT-CHAOS';

/** Commands that create our chain and hook it into FORWARD; safe to run again. */
export function ensureChainCommands(): string[][] {
  return [
    ['sh', '-c', `iptables -w -N ${chaosChain} 2>/dev/null || true`],
    ['sh', '-c', `iptables -w -C FORWARD -j ${chaosChain} 2>/dev/null || iptables -w -I FORWARD 1 -j ${chaosChain}`],
  ];
}

export function dropLinkCommand(fromPodIp: string, toPodIp: string): string[] {
  return ['iptables', '-w', '-A', chaosChain, '-s', fromPodIp, '-d', toPodIp, '-j', 'DROP'];
}

export function flushChainCommand(): string[] {
  return ['sh', '-c', `iptables -w -F ${chaosChain} 2>/dev/null || true`];
}

/**
 * netem on the node's uplink for traffic to the given pod IPs only: a prio qdisc whose fourth
 * band is netem, and a u32 filter per destination.
 */
export function shapeLinkCommands(device: string, toPodIps: string[], shape: LinkShape): string[][] {
  const netem = ['netem', 'delay', `${shape.delayMs}ms`];
  if (shape.jitterMs > 0) netem.push(`${shape.jitterMs}ms`);
  if (shape.dropRate > 0) netem.push('loss', `${(shape.dropRate * 100).toFixed(2)}%`);
  return [
    clearShapingCommand(device),
    ['tc', 'qdisc', 'add', 'dev', device, 'root', 'handle', '1:', 'prio', 'bands', '4', 'priomap', ...Array(16).fill('1')],
    ['tc', 'qdisc', 'add', 'dev', device, 'parent', '1:4', 'handle', '40:', ...netem],
    ...toPodIps.map((ip) => [
      'tc', 'filter', 'add', 'dev', device, 'parent', '1:0', 'protocol', 'ip', 'prio', '1',
      'u32', 'match', 'ip', 'dst', `${ip}/32`, 'flowid', '1:4',
    ]),
  ];
}

export function clearShapingCommand(device: string): string[] {
  return ['sh', '-c', `tc qdisc del dev ${device} root 2>/dev/null || true`];
}
