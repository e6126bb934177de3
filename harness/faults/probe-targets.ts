// Asks each target for its status once: which answered, for a fault's evidence.

import type { StatusProbe } from '../cluster-health/status-snapshot.js';

export interface ProbedTargets {
  /** Targets that answered status. */
  answered: string[];
  /** Per target: what it answered, or why it was silent. */
  details: Record<string, string>;
}

export async function probeTargets(probe: StatusProbe, targets: readonly string[]): Promise<ProbedTargets> {
  const answers = await Promise.all(targets.map((node) => probe(node)));
  return {
    answered: answers.flatMap((answer) => (answer.answered ? [answer.node] : [])),
    details: Object.fromEntries(answers.map((answer) => [answer.node, answer.answered ? `answered as ${answer.status.role} in term ${answer.status.term}` : `silent (${answer.error})`])),
  };
}
