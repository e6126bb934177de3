// The in-memory image of the durable log and the records that change it. Replaying the records
// of the write-ahead log in order rebuilds the image; the live log applies the same functions,
// so recovery and normal operation cannot disagree. Pure.

import type { LogEntry } from '../core/types.js';

export type LogRecord =
  /** The log starts after `index` (whose term is `term`): written first in every segment. */
  | { t: 'base'; index: number; term: number }
  /** Remove every entry from `entries[0].index` on, then append `entries`. */
  | { t: 'append'; entries: LogEntry[] }
  /** Remove every entry with index >= from. */
  | { t: 'truncate'; from: number };

export interface LogImage {
  baseIndex: number;
  baseTerm: number;
  /** Entries baseIndex+1, baseIndex+2, … in order. */
  entries: LogEntry[];
}

export function emptyLogImage(): LogImage {
  return { baseIndex: 0, baseTerm: 0, entries: [] };
}

export function lastIndexOf(image: LogImage): number {
  return image.baseIndex + image.entries.length;
}

/** Applies one record; returns a problem description when the record cannot follow the image. */
export function applyLogRecord(image: LogImage, record: LogRecord): string | null {
  switch (record.t) {
    case 'base':
      image.baseIndex = record.index;
      image.baseTerm = record.term;
      image.entries = [];
      return null;
    case 'append':
      return appendEntries(image, record.entries);
    case 'truncate':
      truncateFrom(image, record.from);
      return null;
  }
}

export function appendEntries(image: LogImage, entries: LogEntry[]): string | null {
  if (entries.length === 0) return null;
  const first = entries[0]!.index;
  if (first > lastIndexOf(image) + 1) {
    return `entries start at index ${first} but the log ends at ${lastIndexOf(image)}`;
  }
  const skip = Math.max(0, image.baseIndex + 1 - first);
  truncateFrom(image, first + skip);
  for (let position = skip; position < entries.length; position += 1) image.entries.push(entries[position]!);
  return null;
}

export function truncateFrom(image: LogImage, fromIndex: number): void {
  const keep = Math.max(0, fromIndex - image.baseIndex - 1);
  if (keep < image.entries.length) image.entries.length = keep;
}

/** Drops the entries a snapshot covers; drops everything when the log disagrees with it. */
export function compactTo(image: LogImage, snapshotIndex: number, snapshotTerm: number): void {
  if (snapshotIndex <= image.baseIndex) return;
  const position = snapshotIndex - image.baseIndex - 1;
  const covered = image.entries[position];
  const keep = covered !== undefined && covered.term === snapshotTerm ? image.entries.slice(position + 1) : [];
  image.baseIndex = snapshotIndex;
  image.baseTerm = snapshotTerm;
  image.entries = keep;
}

export function isLogRecord(value: unknown): value is LogRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record.t === 'base') return Number.isSafeInteger(record.index) && Number.isSafeInteger(record.term);
  if (record.t === 'append') return Array.isArray(record.entries);
  if (record.t === 'truncate') return Number.isSafeInteger(record.from);
  return false;
}
