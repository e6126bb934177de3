// The replicated key-value state machine: put, cas, delete, with de-duplication by
// (client, seq). Pure and deterministic: the same commands in the same order give the same
// state and results on every node.
import type { Command, SnapshotData, StateMachineResult } from './types.js';

interface Session {
  seq: number;
  response: StateMachineResult;
}

const ok: StateMachineResult = Object.freeze({ ok: true });

export class KvStateMachine {
  private readonly values = new Map<string, string>();
  private readonly sessions = new Map<string, Session>();

  /** A state machine holding a copy of a snapshot's data (the snapshot itself is not retained). */
  static fromSnapshot(data: SnapshotData | null): KvStateMachine {
    const machine = new KvStateMachine();
    if (data === null) return machine;
    for (const [key, value] of Object.entries(data.kv)) machine.values.set(key, value);
    for (const [client, session] of Object.entries(data.sessions)) machine.sessions.set(client, session);
    return machine;
  }

  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  /**
   * Applies one committed command. A command whose (client, seq) was already applied changes
   * nothing: the same seq is answered with the recorded result, an older seq (a late duplicate
   * the client no longer waits for) with `{ok: true}`.
   */
  apply(command: Command): StateMachineResult {
    if (command.kind === 'noop' || command.kind === 'configuration') return ok;
    const session = command.client === undefined || command.seq === undefined ? undefined : this.sessions.get(command.client);
    if (session !== undefined && command.seq! <= session.seq) {
      return command.seq === session.seq ? session.response : ok;
    }
    const result = this.execute(command);
    if (command.client !== undefined && command.seq !== undefined) {
      this.sessions.set(command.client, { seq: command.seq, response: result });
    }
    return result;
  }

  /** A fresh copy of the state, safe to hand out while this machine keeps changing. */
  snapshotData(): SnapshotData {
    return {
      kv: Object.fromEntries(this.values),
      sessions: Object.fromEntries(this.sessions),
    };
  }

  private execute(command: Exclude<Command, { kind: 'noop' | 'configuration' }>): StateMachineResult {
    switch (command.kind) {
      case 'put':
        this.values.set(command.key, command.value);
        return ok;
      case 'delete':
        this.values.delete(command.key);
        return ok;
      case 'cas': {
        const current = this.get(command.key);
        if (current !== command.from) return { ok: false, error: 'cas_mismatch', value: current };
        this.values.set(command.key, command.to);
        return ok;
      }
    }
  }
}
