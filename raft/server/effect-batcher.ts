// Carries out the core's effects in the fixed order of raft/core/types.ts. Effects are gathered
// into batches (everything the core returned during one event-loop turn); for each batch
//   1. the persistence effects, in order, written with ONE fsync (group commit);
//   2. then every `send` (consecutive AppendEntries to a peer merged, see coalesce-messages.ts),
//      serialised once and written per peer with one write;
//   3. then every `reply`, written per client connection with one write.
// Up to `maxBatchesInFlight` batches may be persisting at once (their writes stay in order; their
// fsyncs overlap), but batches are released strictly in order: a batch's sends and replies go out
// only once its own persistence and that of every earlier batch is durable.

import type { Effect, RaftMessage } from '../core/types.js';
import type { Response } from '../protocol/registry.js';
import { isPersistenceEffect, type PersistenceEffect } from '../storage/node-storage.js';
import { coalesceMessages } from './coalesce-messages.js';

export interface EffectSinks {
  /** Resolves once the effects are durable; calls for later batches may start before it does. */
  persist(effects: PersistenceEffect[]): Promise<void>;
  /** Newline-terminated message lines per destination node. */
  send(linesByPeer: Map<string, string>): void;
  reply(replies: { ref: number; response: Response }[]): void;
  log(event: string, fields: Record<string, unknown>): void;
  /** Persisting failed: the node cannot go on safely. */
  fatal(error: Error): void;
}

interface Batch {
  messages: RaftMessage[];
  replies: { ref: number; response: Response }[];
  durable: boolean;
}

export class EffectBatcher {
  private pending: Effect[] = [];
  private scheduled = false;
  private failed = false;
  private readonly inFlight: Batch[] = [];
  private idleWaiters: (() => void)[] = [];
  readonly counters = { batches: 0, durableBatches: 0, largestBatch: 0, messages: 0, messagesAfterMerge: 0, persistMsTotal: 0 };

  constructor(
    private readonly sinks: EffectSinks,
    /** Most entries in one AppendEntries after merging (see coalesce-messages.ts). */
    private readonly maxEntriesPerMessage: number,
    private readonly maxBatchesInFlight: number = 2,
  ) {}

  add(effects: readonly Effect[]): void {
    if (effects.length === 0 || this.failed) return;
    for (const effect of effects) this.pending.push(effect);
    this.schedule();
  }

  /** Resolves once every effect added so far has been carried out. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.inFlight.length === 0 && !this.scheduled && this.pending.length === 0;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight.length >= this.maxBatchesInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startBatch();
    });
  }

  private startBatch(): void {
    if (this.pending.length === 0 || this.failed) return;
    const effects = this.pending;
    this.pending = [];
    const persistence: PersistenceEffect[] = [];
    const batch: Batch = { messages: [], replies: [], durable: false };
    for (const effect of effects) {
      if (isPersistenceEffect(effect)) persistence.push(effect);
      else if (effect.type === 'send') batch.messages.push(effect.message);
      else if (effect.type === 'reply') batch.replies.push(effect);
      else if (effect.type === 'log') this.sinks.log(effect.event, effect.fields);
    }
    this.counters.batches += 1;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, effects.length);
    this.inFlight.push(batch);
    if (persistence.length === 0) {
      batch.durable = true;
      this.release();
      return;
    }
    this.counters.durableBatches += 1;
    const startedMs = performance.now();
    this.sinks.persist(persistence).then(
      () => {
        this.counters.persistMsTotal += performance.now() - startedMs;
        batch.durable = true;
        this.release();
      },
      (error: Error) => {
        this.failed = true;
        this.sinks.fatal(error);
      },
    );
    if (this.pending.length > 0) this.schedule();
  }

  /** Carries out the sends and replies of every leading batch that is durable, in order. */
  private release(): void {
    while (this.inFlight.length > 0 && this.inFlight[0]!.durable) {
      const batch = this.inFlight.shift()!;
      if (batch.messages.length > 0) {
        const merged = coalesceMessages(batch.messages, this.maxEntriesPerMessage);
        this.counters.messages += batch.messages.length;
        this.counters.messagesAfterMerge += merged.length;
        this.sinks.send(groupByPeer(merged));
      }
      if (batch.replies.length > 0) this.sinks.reply(batch.replies);
    }
    if (this.pending.length > 0) this.schedule();
    else if (this.isIdle()) this.notifyIdle();
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function groupByPeer(messages: RaftMessage[]): Map<string, string> {
  const lines = new Map<string, string>();
  for (const message of messages) lines.set(message.to, (lines.get(message.to) ?? '') + `${JSON.stringify(message)}\n`);
  return lines;
}
