// Signals a node's whole process group, so a wrapper script can never leave the real node
// running, and waits (with a deadline) until no live member of the group is left.

import { setTimeout as delay } from 'node:timers/promises';
import { groupMembers } from './process-table.js';

const pollIntervalMs = 20;

/** Sends `signal` to every process of the group; false when the group no longer exists. */
export function signalGroup(processGroupId: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-processGroupId, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Whether the group has a live member: from /proc, or by signal 0 where /proc is missing. */
export async function isGroupAlive(processGroupId: number): Promise<boolean> {
  try {
    return (await groupMembers(processGroupId)).length > 0;
  } catch {
    try {
      process.kill(-processGroupId, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Waits until the group has no live member. A member that is not our child cannot be awaited
 * as an event, so this polls /proc. Returns false when the deadline passed first.
 */
export async function waitForGroupGone(processGroupId: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await isGroupAlive(processGroupId))) return true;
    if (Date.now() >= deadline) return false;
    await delay(pollIntervalMs);
  }
}

/** SIGKILLs the group and waits until it is gone; throws with the survivors when it is not. */
export async function killGroup(processGroupId: number, timeoutMs: number): Promise<void> {
  signalGroup(processGroupId, 'SIGKILL');
  if (await waitForGroupGone(processGroupId, timeoutMs)) return;
  const survivors = (await groupMembers(processGroupId)).map((entry) => entry.pid);
  throw new Error(
    `process group ${processGroupId} still has live members ${survivors.join(', ')} ` +
      `${timeoutMs} ms after SIGKILL; inspect them with \`ps -o pid,stat,cmd -g ${processGroupId}\``,
  );
}
