// Labels on everything the docker platform creates, so teardown and sweep remove exactly that.

/** SPEC section 4: every object a platform creates carries this label. */
export const partOfLabel = 'app.kubernetes.io/part-of';
export const partOfValue = 'raft-chaos';
/** Which run created the object. */
export const runLabel = 'raft-chaos.run';
/** Which platform created it, so the docker sweep leaves the kind platform's objects alone. */
export const platformLabel = 'raft-chaos.platform';
/** The node a container or volume belongs to. */
export const nodeLabel = 'raft-chaos.node';
/** The harness process that started the run (see harness-owner.ts): sweep keeps live runs. */
export const ownerLabel = 'raft-chaos.owner';

/** Labels for an object of one run (network) or of one node of a run (container, volume). */
export function dockerLabels(runId: string, node?: string, owner?: string): Record<string, string> {
  const labels: Record<string, string> = {
    [partOfLabel]: partOfValue,
    [runLabel]: runId,
    [platformLabel]: 'docker',
  };
  if (node !== undefined) labels[nodeLabel] = node;
  if (owner !== undefined) labels[ownerLabel] = owner;
  return labels;
}

/** Docker API `filters` matching everything the docker platform created (one run, or all runs). */
export function dockerLabelFilters(runId?: string): { label: string[] } {
  const label = [`${partOfLabel}=${partOfValue}`, `${platformLabel}=docker`];
  if (runId !== undefined) label.push(`${runLabel}=${runId}`);
  return { label };
}
