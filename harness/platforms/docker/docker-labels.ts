// Labels on everything the docker platform creates (the shared names of platform/labels.ts),
// so teardown and sweep remove exactly that.

import { nodeLabel, ownerLabel, partOfLabel, partOfValue, platformLabel, runLabel } from '../../platform/labels.js';

export { nodeLabel, ownerLabel, partOfLabel, partOfValue, platformLabel, runLabel };

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
