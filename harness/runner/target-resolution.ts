// Pure: which nodes a fault hits, from the nodes' status answers at the moment it fires and the
// run's seeded rng. The same snapshot and rng state always give the same targets.

import { claimedLeader } from '../cluster-health/agreed-leader.js';
import type { StatusSnapshot } from '../cluster-health/status-snapshot.js';
import type { TargetSelector } from '../scenario/plan.js';
import type { SeededRandom } from '../shared/seeded-random.js';

export class TargetResolutionError extends Error {
  constructor(
    message: string,
    readonly selector: TargetSelector,
  ) {
    super(message);
    this.name = 'TargetResolutionError';
  }
}

/** How many nodes a minority has: the most that still leaves a majority outside it. */
export function minoritySize(nodeCount: number): number {
  return Math.floor((nodeCount - 1) / 2);
}

export function describeSelector(selector: TargetSelector): string {
  return selector.kind === 'node' ? `node ${selector.node}` : selector.kind;
}

/**
 * - leader: the node claiming leadership in the highest term;
 * - followers / random-follower: every other node / one of them at random;
 * - minority: floor((n-1)/2) nodes, the leader among them when there is one (the split that
 *   forces an election and exposes a stale leader), the rest at random;
 * - majority: the complement of such a minority (so never the leader when there is one);
 * - random-node, all, node: as named.
 */
export function resolveTargets(selector: TargetSelector, snapshot: StatusSnapshot, random: SeededRandom): string[] {
  const nodes = snapshot.answers.map((answer) => answer.node);
  switch (selector.kind) {
    case 'all':
      return [...nodes];
    case 'random-node':
      return [random.pick(nodes)];
    case 'node':
      if (!nodes.includes(selector.node)) {
        throw new TargetResolutionError(`target node ${selector.node} is not in the cluster (${nodes.join(', ')})`, selector);
      }
      return [selector.node];
    case 'leader':
      return [requireLeader(selector, snapshot)];
    case 'followers': {
      const leader = requireLeader(selector, snapshot);
      return nodes.filter((node) => node !== leader);
    }
    case 'random-follower': {
      const leader = requireLeader(selector, snapshot);
      return [random.pick(nodes.filter((node) => node !== leader))];
    }
    case 'minority':
      return minorityWithLeader(nodes, claimedLeader(snapshot), random);
    case 'majority': {
      const minority = minorityWithLeader(nodes, claimedLeader(snapshot), random);
      return nodes.filter((node) => !minority.includes(node));
    }
  }
}

function requireLeader(selector: TargetSelector, snapshot: StatusSnapshot): string {
  const leader = claimedLeader(snapshot);
  if (leader === undefined) {
    const seen = snapshot.answers.map((answer) => (answer.answered ? `${answer.node}=${answer.status.role}` : `${answer.node}=down`)).join(', ');
    throw new TargetResolutionError(`target ${describeSelector(selector)}: no node claims to be leader at the moment the fault fires (${seen})`, selector);
  }
  return leader;
}

function minorityWithLeader(nodes: string[], leader: string | undefined, random: SeededRandom): string[] {
  const size = minoritySize(nodes.length);
  if (size === 0) return [];
  const others = random.shuffle(nodes.filter((node) => node !== leader));
  const chosen = leader === undefined ? others.slice(0, size) : [leader, ...others.slice(0, size - 1)];
  return nodes.filter((node) => chosen.includes(node));
}
