// Pure: the next operation of one logical process, from the plan's mix and what the process
// last saw of the key. Written values are unique (`v<process>-<n>`), so a read names the write it
// saw. A cas goes from the value the process last read or wrote on that key; a process that has
// not seen the key yet reads it instead.

import type { WorkloadPlan } from '../scenario/plan.js';
import type { SeededRandom } from '../shared/seeded-random.js';

export type PlannedOperation =
  | { f: 'read'; key: string }
  | { f: 'write'; key: string; value: string }
  | { f: 'cas'; key: string; from: string | null; to: string }
  | { f: 'delete'; key: string };

export interface ProcessMemory {
  process: number;
  /** Values this process wrote so far, for unique names. */
  written: number;
  /** Last value this process saw on each key (read, or its own acknowledged write). */
  lastSeen: Map<string, string | null>;
}

export function chooseOperation(key: string, mix: WorkloadPlan['mix'], memory: ProcessMemory, random: SeededRandom): PlannedOperation {
  const draw = random.fraction();
  const readBelow = mix.read;
  const writeBelow = readBelow + mix.write;
  const casBelow = writeBelow + mix.cas;
  if (draw < readBelow) return { f: 'read', key };
  if (draw < writeBelow) return { f: 'write', key, value: nextValue(memory) };
  if (draw < casBelow || mix.delete === 0) {
    if (!memory.lastSeen.has(key)) return { f: 'read', key };
    return { f: 'cas', key, from: memory.lastSeen.get(key) ?? null, to: nextValue(memory) };
  }
  return { f: 'delete', key };
}

function nextValue(memory: ProcessMemory): string {
  memory.written += 1;
  return `v${memory.process}-${memory.written}`;
}
