import type { RaftClient } from '../raft/client/raft-client.js';

/**
 * Polls every node's status (there is no leader-change event to await) until one node is
 * leader, or throws after `timeoutMs` naming what each node said last.
 */
export async function waitForLeader(client: RaftClient, timeoutMs: number, exclude: readonly string[] = []): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  let last = '';
  while (performance.now() < deadline) {
    const answers = await Promise.all(client.nodes.filter((node) => !exclude.includes(node)).map((node) => client.status(node)));
    const leader = answers.find((answer) => answer.ok && answer.status.role === 'leader');
    if (leader !== undefined && leader.ok) return leader.status.node;
    last = answers.map((answer) => (answer.ok ? `${answer.node}: ${answer.status.role} term ${answer.status.term}` : `${answer.node}: ${answer.error}`)).join('; ');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no leader elected within ${timeoutMs} ms; last status: ${last || 'none'}`);
}
