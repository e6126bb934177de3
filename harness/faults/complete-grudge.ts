// Pure partition math, as Jepsen's nemesis `complete-grudge`: given disjoint groups of nodes,
// every directed link from a node in one group to a node in another is cut. Nodes inside a
// group keep talking to each other.

import type { Link } from '../platform/platform.js';

export function completeGrudge(groups: readonly (readonly string[])[]): Link[] {
  const seen = new Set<string>();
  for (const group of groups) {
    for (const node of group) {
      if (seen.has(node)) throw new Error(`completeGrudge: ${node} is in more than one group (${JSON.stringify(groups)}); groups must be disjoint`);
      seen.add(node);
    }
  }
  const links: Link[] = [];
  for (const [groupIndex, group] of groups.entries()) {
    for (const [otherIndex, other] of groups.entries()) {
      if (otherIndex === groupIndex) continue;
      for (const from of group) for (const to of other) links.push({ from, to });
    }
  }
  return links;
}

/** The targets on one side, every other node on the other. */
export function splitFromRest(targets: readonly string[], nodes: readonly string[]): [string[], string[]] {
  return [[...targets], nodes.filter((node) => !targets.includes(node))];
}

/** Every directed link with at least one end among the targets (for slowing or dropping). */
export function linksTouching(targets: readonly string[], nodes: readonly string[]): Link[] {
  const links: Link[] = [];
  for (const from of nodes) {
    for (const to of nodes) {
      if (from !== to && (targets.includes(from) || targets.includes(to))) links.push({ from, to });
    }
  }
  return links;
}
