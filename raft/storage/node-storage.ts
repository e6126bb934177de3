// Everything a node keeps on disk, under RAFT_DATA_DIR:
//   hard-state.rec   current term and vote (one record, replaced atomically)
//   snapshot.rec     the latest snapshot (one record, replaced atomically)
//   wal/wal-N.log    the write-ahead log (see write-ahead-log.ts)
// `persist(effects)` carries out the persistence effects of one batch in order and ends with
// the durable writes done: one fsync of the log for the whole batch (group commit).

import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Effect, HardState, RecoveredState, Snapshot } from '../core/types.js';
import { readRecordFile, writeRecordFile } from './record-file.js';
import { WriteAheadLog, type WalRecovery } from './write-ahead-log.js';

export interface StorageOptions {
  /** false in the RAFT_BUG_NO_FSYNC bug mode. */
  fsync: boolean;
  /** RAFT_BUG_FORGET_STATE: erase everything persisted before loading, as if the disk lied. */
  forgetState: boolean;
}

export interface RecoveryReport {
  forgotState: boolean;
  hardState: HardState;
  snapshotIndex: number | null;
  entriesLoaded: number;
  firstIndex: number;
  lastIndex: number;
  wal: Omit<WalRecovery, 'image'>;
}

import type { PersistenceEffect } from '../core/persistence-effect.js';
export { isPersistenceEffect, type PersistenceEffect } from '../core/persistence-effect.js';


export class NodeStorage {
  private constructor(
    private readonly directory: string,
    private readonly options: StorageOptions,
    private readonly wal: WriteAheadLog,
  ) {}

  static async open(directory: string, options: StorageOptions): Promise<{ storage: NodeStorage; recovered: RecoveredState; report: RecoveryReport }> {
    if (options.forgetState) await forgetEverything(directory);
    await mkdir(directory, { recursive: true });
    const hardState = parseHardState(await readRecordFile(join(directory, 'hard-state.rec')), directory);
    const snapshot = (await readRecordFile(join(directory, 'snapshot.rec'))) as Snapshot | null;
    const { log, recovery } = await WriteAheadLog.open(join(directory, 'wal'), { fsync: options.fsync });
    if (snapshot !== null) await log.compact(snapshot.lastIncludedIndex, snapshot.lastIncludedTerm);
    if (snapshot === null && log.state.baseIndex > 0) {
      throw new Error(`${join(directory, 'wal')}: the log starts after index ${log.state.baseIndex} but ${join(directory, 'snapshot.rec')} is missing, so entries 1..${log.state.baseIndex} are lost. Restore the data directory or remove it so the node catches up from the leader.`);
    }
    const entries = [...log.state.entries];
    const report: RecoveryReport = {
      forgotState: options.forgetState,
      hardState,
      snapshotIndex: snapshot?.lastIncludedIndex ?? null,
      entriesLoaded: entries.length,
      firstIndex: log.state.baseIndex + 1,
      lastIndex: log.state.baseIndex + entries.length,
      wal: { segmentsRead: recovery.segmentsRead, recordsRead: recovery.recordsRead, tornTail: recovery.tornTail },
    };
    return { storage: new NodeStorage(directory, options, log), recovered: { hardState, snapshot, entries }, report };
  }

  /** Carries out the persistence effects of one batch, in order; resolves once they are durable. */
  async persist(effects: readonly PersistenceEffect[]): Promise<void> {
    let hardState: HardState | null = null;
    for (const effect of effects) {
      if (effect.type === 'persistState') hardState = effect.state;
      else if (effect.type === 'appendEntries') this.wal.append(effect.entries);
      else if (effect.type === 'truncateLog') this.wal.truncate(effect.fromIndex);
      else await this.saveSnapshot(effect.snapshot);
    }
    this.wal.flush();
    if (hardState !== null) await writeRecordFile(join(this.directory, 'hard-state.rec'), hardState, this.options);
  }

  async close(): Promise<void> {
    await this.wal.close();
  }

  private async saveSnapshot(snapshot: Snapshot): Promise<void> {
    await writeRecordFile(join(this.directory, 'snapshot.rec'), snapshot, this.options);
    await this.wal.compact(snapshot.lastIncludedIndex, snapshot.lastIncludedTerm);
  }
}

async function forgetEverything(directory: string): Promise<void> {
  for (const name of ['hard-state.rec', 'snapshot.rec', 'wal']) {
    await rm(join(directory, name), { recursive: true, force: true });
  }
}

function parseHardState(value: unknown, directory: string): HardState {
  if (value === null) return { term: 0, votedFor: null };
  const state = value as Partial<HardState>;
  if (!Number.isSafeInteger(state.term) || !(state.votedFor === null || typeof state.votedFor === 'string')) {
    throw new Error(`${join(directory, 'hard-state.rec')}: expected {"term":integer,"votedFor":string|null}, got ${JSON.stringify(value).slice(0, 120)}. Restore the data directory or remove it.`);
  }
  return { term: state.term as number, votedFor: state.votedFor ?? null };
}
