// The configurations a node's log passes through: the one in effect at the snapshot (or the
// launch configuration) and one per configuration entry after it. A configuration takes effect
// when appended, so the latest is the node's current one, and truncating the log reverts it.
import type { Configuration, LogEntry } from './types.js';

export interface ConfigurationAt {
  /** Index of the entry that carried it; the snapshot index (or 0) for the base. */
  index: number;
  configuration: Configuration;
}

export class ConfigurationHistory {
  /** Ascending by index; the first is the base and is never removed by truncation. */
  private entries: ConfigurationAt[];

  constructor(base: Configuration, baseIndex: number, logEntries: LogEntry[]) {
    this.entries = [{ index: baseIndex, configuration: base }];
    for (const entry of logEntries) this.appended(entry);
  }

  latest(): ConfigurationAt {
    return this.entries[this.entries.length - 1]!;
  }

  /** The configuration the latest one replaced; null when the latest is the base. */
  previous(): ConfigurationAt | null {
    return this.entries.length > 1 ? this.entries[this.entries.length - 2]! : null;
  }

  /** The configuration in effect once the log up to `index` is applied. */
  at(index: number): Configuration {
    for (let position = this.entries.length - 1; position > 0; position -= 1) {
      if (this.entries[position]!.index <= index) return this.entries[position]!.configuration;
    }
    return this.entries[0]!.configuration;
  }

  /** Note one appended entry; returns whether it changed the configuration. */
  appended(entry: LogEntry): boolean {
    if (entry.command.kind !== 'configuration') return false;
    this.entries.push({ index: entry.index, configuration: entry.command.configuration });
    return true;
  }

  /** The log lost every entry from `fromIndex` on; returns whether the configuration changed. */
  truncatedFrom(fromIndex: number): boolean {
    const before = this.entries.length;
    while (this.entries.length > 1 && this.latest().index >= fromIndex) this.entries.pop();
    return this.entries.length !== before;
  }

  /** A snapshot now covers the log up to `index`: the configuration there becomes the base. */
  compactedTo(index: number): void {
    const base: ConfigurationAt = { index, configuration: this.at(index) };
    this.entries = [base, ...this.entries.filter((entry) => entry.index > index)];
  }

  /** The log was replaced by a snapshot ending at `index` whose configuration is `configuration`. */
  resetTo(configuration: Configuration, index: number): void {
    this.entries = [{ index, configuration }];
  }
}
