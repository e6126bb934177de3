// The correct-server twin of a bug-zoo scenario: the same file with every RAFT_BUG_* variable
// removed from cluster.env (the other settings, such as timeouts, stay).

import { isMap, parseDocument } from 'yaml';

export function withoutBugModes(scenarioText: string): string {
  const document = parseDocument(scenarioText);
  const env = document.getIn(['cluster', 'env']);
  if (!isMap(env)) return scenarioText;
  for (const pair of [...env.items]) {
    const name = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
    if (name.startsWith('RAFT_BUG_')) env.delete(pair.key);
  }
  return document.toString();
}
