// An independent model of the key-value state machine, applied to the globally committed log
// by the safety checker. It keeps every key's history of values by log index, so a read can be
// judged against the states the log passed through.
import type { Command } from '../types.js';

interface Change {
  index: number;
  value: string | null;
}

export type ReferenceResult = { ok: true } | { ok: false; value: string | null };

export class ReferenceKv {
  appliedIndex = 0;
  private readonly values = new Map<string, string>();
  private readonly sessions = new Map<string, { seq: number; result: ReferenceResult }>();
  private readonly history = new Map<string, Change[]>();
  private readonly results = new Map<number, ReferenceResult>();

  /** Apply the command at `index` (must be appliedIndex + 1). */
  apply(index: number, command: Command): ReferenceResult {
    if (index !== this.appliedIndex + 1) throw new Error(`reference kv: apply ${index} after ${this.appliedIndex}`);
    this.appliedIndex = index;
    const result = this.execute(index, command);
    this.results.set(index, result);
    return result;
  }

  resultAt(index: number): ReferenceResult | undefined {
    return this.results.get(index);
  }

  /** The values `key` held at any index in [fromIndex, toIndex]. */
  valuesBetween(key: string, fromIndex: number, toIndex: number): Array<string | null> {
    const changes = this.history.get(key) ?? [];
    const seen: Array<string | null> = [];
    let position = changes.length - 1;
    while (position >= 0 && changes[position]!.index > toIndex) position -= 1;
    while (position >= 0 && changes[position]!.index > fromIndex) {
      seen.push(changes[position]!.value);
      position -= 1;
    }
    seen.push(position >= 0 ? changes[position]!.value : null);
    return seen;
  }

  private execute(index: number, command: Command): ReferenceResult {
    if (command.kind === 'noop' || command.kind === 'configuration') return { ok: true };
    const hasSession = command.client !== undefined && command.seq !== undefined;
    const session = hasSession ? this.sessions.get(command.client!) : undefined;
    if (session !== undefined && command.seq! <= session.seq) {
      return command.seq === session.seq ? session.result : { ok: true };
    }
    const result = this.change(index, command);
    if (hasSession) this.sessions.set(command.client!, { seq: command.seq!, result });
    return result;
  }

  private change(index: number, command: Exclude<Command, { kind: 'noop' | 'configuration' }>): ReferenceResult {
    const current = this.values.get(command.key) ?? null;
    let next: string | null;
    if (command.kind === 'put') next = command.value;
    else if (command.kind === 'delete') next = null;
    else if (current === command.from) next = command.to;
    else return { ok: false, value: current };
    if (next === null) this.values.delete(command.key);
    else this.values.set(command.key, next);
    const changes = this.history.get(command.key) ?? [];
    changes.push({ index, value: next });
    this.history.set(command.key, changes);
    return { ok: true };
  }
}
