// The configuration changes the membership faults make, through the reference server's
// `add-member` and `remove-member` (docs/membership.md): sent to the leader, retried after every
// failure until acknowledged or the heal deadline passes. Both are idempotent, so a retry after
// an indefinite failure is safe. The platform's per-link proxies are in RAFT_PEERS for every node
// it may ever run, and the server dials such a node at its RAFT_PEERS address, whatever address
// `add-member` names; the client address is given for the record.

import { setTimeout as delay } from 'node:timers/promises';
import { RaftClient } from '../../raft/client/raft-client.js';
import type { OperationResult } from '../../raft/client/operation-result.js';
import type { FaultContext } from './fault.js';
import { FaultHealError } from './wait-until-back.js';

export type MembershipChange = { kind: 'add'; node: string } | { kind: 'remove'; node: string };

/** One attempt may take this long (an add waits for the learner to catch up). */
const attemptTimeoutMs = 10_000;
const retryIntervalMs = 250;

/** The voters of the configuration the leader acknowledged the change with, sorted. */
export interface ChangeAcknowledged {
  voters: string[];
  index?: number;
}

export async function changeMembership(context: Pick<FaultContext, 'cluster' | 'healTimeoutMs' | 'progress'>, change: MembershipChange): Promise<ChangeAcknowledged> {
  const operation = change.kind === 'add' ? 'add-member' : 'remove-member';
  const deadlineMs = performance.now() + context.healTimeoutMs;
  let last = 'no attempt';
  for (let attempt = 1; attempt <= Math.ceil(context.healTimeoutMs / retryIntervalMs) + 1; attempt += 1) {
    const result = await attemptChange(context, change);
    if (result.ok) return { voters: votersOf(result), ...(result.index !== undefined ? { index: result.index } : {}) };
    last = `${result.error}${result.message === undefined ? '' : `: ${result.message}`}`;
    if (performance.now() >= deadlineMs) break;
    if (attempt % 20 === 0) context.progress(`${operation} ${change.node}: not acknowledged yet (${last}); retrying`);
    await delay(retryIntervalMs);
  }
  throw new FaultHealError(`${operation} ${change.node} was not acknowledged within ${context.healTimeoutMs} ms (last answer: ${last}); the cluster's nodes are ${context.cluster.nodes.join(', ')}; see their logs in the scenario's report directory`);
}

async function attemptChange(context: Pick<FaultContext, 'cluster'>, change: MembershipChange): Promise<OperationResult> {
  const { cluster } = context;
  const client = new RaftClient({ addresses: Object.fromEntries(cluster.nodes.map((node) => [node, cluster.clientAddress(node)])), requestTimeoutMs: attemptTimeoutMs });
  try {
    return change.kind === 'add' ? await client.addMember(change.node, cluster.peerAddress?.(change.node) ?? cluster.clientAddress(change.node)) : await client.removeMember(change.node);
  } finally {
    client.close();
  }
}

function votersOf(result: Extract<OperationResult, { ok: true }>): string[] {
  return (result.members ?? []).filter((member) => member.role === 'voter').map((member) => member.id).sort();
}

type ChangeContext = Pick<FaultContext, 'cluster' | 'healTimeoutMs' | 'progress'>;

/** Starts each node on an empty disk to join and adds it, one after another: the second half of replace, and the heal of shrink. */
export async function launchAndAdd(context: ChangeContext, nodes: readonly string[]): Promise<{ addedVoters: string[]; votersAfterAdd: string[] }> {
  const launchJoining = requireMembership(context.cluster, 'launchJoining');
  let voters: string[] = [];
  for (const node of nodes) {
    await launchJoining(node);
    voters = (await changeMembership(context, { kind: 'add', node })).voters;
  }
  return { addedVoters: [...nodes], votersAfterAdd: voters };
}

/**
 * Removes the nodes from the configuration, then from the platform: shrink, the first half of
 * replace, and the heal of grow. Several nodes are asked for at once, as a scale-down by more than
 * one asks: the server must make the changes one at a time.
 */
export async function removeAndStop(context: ChangeContext, nodes: readonly string[]): Promise<{ removedVoters: string[]; votersAfterRemove: string[] }> {
  const removeNode = requireMembership(context.cluster, 'removeNode');
  const acknowledged = await Promise.all(nodes.map((node) => changeMembership(context, { kind: 'remove', node })));
  for (const node of nodes) await removeNode(node);
  const last = [...acknowledged].sort((left, right) => (left.index ?? 0) - (right.index ?? 0)).at(-1);
  return { removedVoters: [...nodes], votersAfterRemove: last?.voters ?? [] };
}

function requireMembership<Name extends 'launchJoining' | 'removeNode'>(cluster: FaultContext['cluster'], name: Name): NonNullable<FaultContext['cluster'][Name]> {
  const method = cluster[name];
  if (method === undefined) throw new Error(`internal: the cluster has no ${name} although the plan's capability check found membership; the platform must implement it`);
  return method.bind(cluster) as NonNullable<FaultContext['cluster'][Name]>;
}
