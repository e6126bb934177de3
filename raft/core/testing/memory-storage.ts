// What a node has made durable, modelled in memory by carrying out the persistence effects
// exactly as types.ts describes them. A restarted node recovers from this and nothing else.
import type { Effect, HardState, LogEntry, RecoveredState, Snapshot } from '../types.js';

export class MemoryStorage {
  hardState: HardState = { term: 0, votedFor: null };
  snapshot: Snapshot | null = null;
  /** Entries after the snapshot, in index order. */
  entries: LogEntry[] = [];

  constructor(private readonly nodeId: string) {}

  get snapshotIndex(): number {
    return this.snapshot?.lastIncludedIndex ?? 0;
  }

  lastIndex(): number {
    return this.snapshotIndex + this.entries.length;
  }

  /** Carry out one effect if it is a persistence effect; other effects are ignored. */
  apply(effect: Effect): void {
    switch (effect.type) {
      case 'persistState':
        this.hardState = { ...effect.state };
        return;
      case 'appendEntries':
        return this.append(effect.entries);
      case 'truncateLog':
        this.truncateFrom(effect.fromIndex);
        return;
      case 'saveSnapshot':
        return this.saveSnapshot(effect.snapshot);
      default:
        return;
    }
  }

  recover(): RecoveredState {
    return { hardState: { ...this.hardState }, snapshot: this.snapshot, entries: [...this.entries] };
  }

  private append(entries: LogEntry[]): void {
    if (entries.length === 0) return;
    const first = entries[0]!.index;
    if (first > this.lastIndex() + 1 || first <= this.snapshotIndex) {
      throw new Error(
        `memory storage ${this.nodeId}: appendEntries from index ${first} does not fit a log holding ` +
          `${this.snapshotIndex + 1}..${this.lastIndex()}; the core emitted an inconsistent effect`,
      );
    }
    this.truncateFrom(first);
    for (const entry of entries) this.entries.push(entry);
  }

  private truncateFrom(fromIndex: number): void {
    const keep = Math.max(0, fromIndex - this.snapshotIndex - 1);
    if (keep < this.entries.length) this.entries.length = keep;
  }

  private saveSnapshot(snapshot: Snapshot): void {
    const drop = Math.min(this.entries.length, Math.max(0, snapshot.lastIncludedIndex - this.snapshotIndex));
    this.entries.splice(0, drop);
    this.snapshot = snapshot;
  }
}
