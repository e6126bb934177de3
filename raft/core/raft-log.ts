// The in-memory Raft log: entries after the last snapshot, addressed by absolute index.
// Appends are O(1) amortised; nothing here copies the whole log.
import type { LogEntry } from './types.js';

export class RaftLog {
  private entries: LogEntry[];

  constructor(
    /** Index of the last entry covered by the snapshot (0 when none). */
    private snapshotIndexValue: number,
    private snapshotTermValue: number,
    entries: LogEntry[],
  ) {
    this.entries = entries.filter((entry) => entry.index > snapshotIndexValue);
    this.entries.forEach((entry, offset) => {
      if (entry.index !== snapshotIndexValue + 1 + offset) {
        throw new Error(
          `raft log: recovered entries are not contiguous after snapshot index ${snapshotIndexValue}: ` +
            `found index ${entry.index} at position ${offset}; the stored log is damaged, restore the data dir`,
        );
      }
    });
  }

  get snapshotIndex(): number {
    return this.snapshotIndexValue;
  }

  get snapshotTerm(): number {
    return this.snapshotTermValue;
  }

  /** Index of the first entry still held in memory. */
  firstIndex(): number {
    return this.snapshotIndexValue + 1;
  }

  lastIndex(): number {
    return this.snapshotIndexValue + this.entries.length;
  }

  lastTerm(): number {
    return this.entries.length === 0 ? this.snapshotTermValue : this.entries[this.entries.length - 1]!.term;
  }

  /** Term of the entry at `index`; undefined when compacted away or beyond the end. */
  term(index: number): number | undefined {
    if (index === this.snapshotIndexValue) return this.snapshotTermValue;
    return this.entry(index)?.term;
  }

  entry(index: number): LogEntry | undefined {
    if (index <= this.snapshotIndexValue) return undefined;
    return this.entries[index - this.snapshotIndexValue - 1];
  }

  /** Entries from `fromIndex` to `toIndex` inclusive (clamped to what is held). */
  slice(fromIndex: number, toIndex: number): LogEntry[] {
    const start = Math.max(fromIndex, this.firstIndex()) - this.snapshotIndexValue - 1;
    const end = Math.min(toIndex, this.lastIndex()) - this.snapshotIndexValue;
    return end > start ? this.entries.slice(start, end) : [];
  }

  append(entry: LogEntry): void {
    if (entry.index !== this.lastIndex() + 1) {
      throw new Error(`raft log: append of index ${entry.index} after last index ${this.lastIndex()}; entries must be contiguous`);
    }
    this.entries.push(entry);
  }

  /** Remove every entry with index >= fromIndex. */
  truncateFrom(fromIndex: number): void {
    const keep = Math.max(0, fromIndex - this.snapshotIndexValue - 1);
    if (keep < this.entries.length) this.entries.length = keep;
  }

  /** Drop entries up to `index` (covered by a snapshot whose last entry has `term`). */
  compactTo(index: number, term: number): void {
    if (index <= this.snapshotIndexValue) return;
    const drop = Math.min(index - this.snapshotIndexValue, this.entries.length);
    this.entries.splice(0, drop);
    this.snapshotIndexValue = index;
    this.snapshotTermValue = term;
  }

  /** Discard everything and start again after a snapshot that ends at (index, term). */
  resetTo(index: number, term: number): void {
    this.entries = [];
    this.snapshotIndexValue = index;
    this.snapshotTermValue = term;
  }

  /** Last index whose term is <= `term` (terms never decrease along a log); snapshotIndex if none held. */
  lastIndexAtOrBelowTerm(term: number): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.entries[middle]!.term <= term) low = middle + 1;
      else high = middle;
    }
    return this.snapshotIndexValue + low;
  }

  /** First index at or after `fromIndex` whose term is >= `term`; lastIndex + 1 if none. */
  firstIndexAtOrAboveTerm(term: number, fromIndex: number): number {
    let low = Math.max(0, fromIndex - this.snapshotIndexValue - 1);
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.entries[middle]!.term < term) low = middle + 1;
      else high = middle;
    }
    return this.snapshotIndexValue + 1 + low;
  }
}
