// Asks every node for its status at once, each within the probe's short timeout.

import type { StatusProbe, StatusSnapshot } from './status-snapshot.js';

export async function takeStatusSnapshot(
  nodes: readonly string[],
  probe: StatusProbe,
  nowMs: () => number = () => performance.now(),
): Promise<StatusSnapshot> {
  const answers = await Promise.all(nodes.map((node) => probe(node)));
  return { answers, takenAtMs: nowMs() };
}
