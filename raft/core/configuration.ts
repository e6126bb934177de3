// Pure operations on a cluster configuration (voters and learners, see types.ts). Every change
// returns a new configuration; the input is never modified.
import type { Configuration, NodeId } from './types.js';

export const emptyConfiguration: Configuration = Object.freeze({ voters: [], learners: [], addresses: {} });

/** The launch configuration: `peers` and `id` itself, all voters; none for a node started to join a running cluster. */
export function launchConfiguration(id: NodeId, peers: NodeId[], joining: boolean, addresses: Record<NodeId, string> = {}): Configuration {
  if (joining) return emptyConfiguration;
  const voters = [...new Set([...peers, id])];
  return { voters: voters.sort(), learners: [], addresses: pickAddresses(addresses, voters) };
}

export function isVoter(configuration: Configuration, id: NodeId): boolean {
  return configuration.voters.includes(id);
}

export function isMember(configuration: Configuration, id: NodeId): boolean {
  return configuration.voters.includes(id) || configuration.learners.includes(id);
}

/** Voters then learners, each sorted. */
export function membersOf(configuration: Configuration): NodeId[] {
  return [...configuration.voters, ...configuration.learners];
}

/** `id` joins as a learner at `address` (a current member keeps its place and gets the address). */
export function withLearner(configuration: Configuration, id: NodeId, address: string): Configuration {
  const learners = isMember(configuration, id) ? configuration.learners : [...configuration.learners, id].sort();
  return { voters: configuration.voters, learners, addresses: { ...configuration.addresses, [id]: address } };
}

/** The learner `id` becomes a voter. */
export function withVoter(configuration: Configuration, id: NodeId): Configuration {
  return {
    voters: [...new Set([...configuration.voters, id])].sort(),
    learners: configuration.learners.filter((learner) => learner !== id),
    addresses: configuration.addresses,
  };
}

/** `id` is no longer a member. */
export function without(configuration: Configuration, id: NodeId): Configuration {
  const addresses = { ...configuration.addresses };
  delete addresses[id];
  return {
    voters: configuration.voters.filter((voter) => voter !== id),
    learners: configuration.learners.filter((learner) => learner !== id),
    addresses,
  };
}

export function describeConfiguration(configuration: Configuration): string {
  const learners = configuration.learners.length > 0 ? ` learners ${configuration.learners.join(',')}` : '';
  return `voters ${configuration.voters.join(',') || '(none)'}${learners}`;
}

function pickAddresses(addresses: Record<NodeId, string>, ids: NodeId[]): Record<NodeId, string> {
  const picked: Record<NodeId, string> = {};
  for (const id of ids) if (addresses[id] !== undefined) picked[id] = addresses[id]!;
  return picked;
}
