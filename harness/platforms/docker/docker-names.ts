// Names of the docker objects of a run. Node names stay `raft-N`; the run id prefix avoids clashes.

/** Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]*; anything else becomes '-'. */
export function sanitizeDockerName(text: string): string {
  const cleaned = text.replace(/[^a-zA-Z0-9_.-]/g, '-').replace(/^[^a-zA-Z0-9]+/, '');
  return cleaned.length > 0 ? cleaned : 'run';
}

export function networkName(runId: string): string {
  return `raft-chaos-${sanitizeDockerName(runId)}`;
}

export function containerName(runId: string, node: string): string {
  return `raft-chaos-${sanitizeDockerName(runId)}-${sanitizeDockerName(node)}`;
}

export function volumeName(runId: string, node: string): string {
  return `raft-chaos-${sanitizeDockerName(runId)}-${sanitizeDockerName(node)}-data`;
}
