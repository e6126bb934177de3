// Asks each target for its status once: which answered, for a fault's evidence.

import type { StatusProbe } from '../cluster-health/status-snapshot.js';

export async function probeTargets(probe: StatusProbe, targets: readonly string[]): Promise<Record<string, string>> {
  const answers = await Promise.all(targets.map((node) => probe(node)));
  return Object.fromEntries(answers.map((answer) => [answer.node, answer.answered ? `answered as ${answer.status.role} in term ${answer.status.term}` : `silent (${answer.error})`]));
}

export function allSilent(observed: Record<string, string>): boolean {
  return Object.values(observed).every((line) => line.startsWith('silent'));
}
