// After the cluster is healed and healthy and the workload stopped: one read of every key ever
// written, recorded in the history like any other read (fresh process numbers, an info retires
// its process), so the checkers can tell which acknowledged writes survived.

import type { HistoryRecorder } from '../history/history-recorder.js';
import type { WorkloadClient } from './workload-client.js';

export interface FinalReadsOptions {
  keys: readonly string[];
  client: WorkloadClient;
  recorder: Pick<HistoryRecorder, 'invoke' | 'complete' | 'nowNs'>;
  /** The first process number no workload process used. */
  firstProcess: number;
  /** Tries per key before giving up on it. */
  attemptsPerKey: number;
  /** The whole phase gives up past this. */
  timeoutMs: number;
  progress: (line: string) => void;
}

export interface FinalReadsResult {
  /** History time (ns) at which the final reads began: every read after it is a final read. */
  markerNs: number;
  /** Key -> value read (null: absent). */
  values: Record<string, string | null>;
  /** Keys no final read succeeded on. */
  unread: string[];
  nextProcess: number;
  /** Completions recorded by the final reads. */
  counts: { ok: number; fail: number; info: number };
}

export async function finalReads(options: FinalReadsOptions): Promise<FinalReadsResult> {
  const { recorder, client } = options;
  const markerNs = recorder.nowNs();
  const deadlineMs = performance.now() + options.timeoutMs;
  const values: Record<string, string | null> = {};
  const unread: string[] = [];
  const counts = { ok: 0, fail: 0, info: 0 };
  let process = options.firstProcess;
  for (const [index, key] of options.keys.entries()) {
    let done = false;
    for (let attempt = 1; attempt <= options.attemptsPerKey && !done && performance.now() < deadlineMs; attempt += 1) {
      recorder.invoke(process, 'read', key, null);
      const result = await client.get(key);
      if (result.ok) {
        recorder.complete(process, 'ok', 'read', key, result.value ?? null, { node: result.node });
        values[key] = result.value ?? null;
        counts.ok += 1;
        done = true;
      } else {
        const type = result.definite ? 'fail' : 'info';
        recorder.complete(process, type, 'read', key, null, { error: result.error, node: result.node });
        counts[type] += 1;
        if (!result.definite) process += 1;
      }
    }
    if (!done) unread.push(key);
    if ((index + 1) % 50 === 0) options.progress(`final reads: ${index + 1} of ${options.keys.length} keys`);
  }
  return { markerNs, values, unread, nextProcess: process + 1, counts };
}
