// Carries out the core's effects in the fixed order of raft/core/types.ts, one batch at a time:
// everything the core returned since the last batch started is gathered (all inputs of one
// event-loop turn, plus whatever arrived while the previous batch was being made durable), then
//   1. the persistence effects, in order, ending with ONE fsync (group commit);
//   2. every `send`, serialised once and written per peer with one write;
//   3. every `reply`, written per client connection with one write.
// Batches never overlap, so nothing is sent or acknowledged before what it depends on is durable.

import type { Effect, RaftMessage } from '../core/types.js';
import type { Response } from '../protocol/registry.js';
import { isPersistenceEffect, type PersistenceEffect } from '../storage/node-storage.js';

export interface EffectSinks {
  persist(effects: PersistenceEffect[]): Promise<void>;
  /** Newline-terminated message lines per destination node. */
  send(linesByPeer: Map<string, string>): void;
  reply(replies: { ref: number; response: Response }[]): void;
  log(event: string, fields: Record<string, unknown>): void;
  /** Persisting failed: the node cannot go on safely. */
  fatal(error: Error): void;
}

export class EffectBatcher {
  private pending: Effect[] = [];
  private scheduled = false;
  private running = false;
  private idleWaiters: (() => void)[] = [];
  /** Batches carried out, and how many of them had to be made durable. */
  readonly counters = { batches: 0, durableBatches: 0, largestBatch: 0 };

  constructor(private readonly sinks: EffectSinks) {}

  add(effects: readonly Effect[]): void {
    if (effects.length === 0) return;
    for (const effect of effects) this.pending.push(effect);
    this.schedule();
  }

  /** Resolves once every effect added so far has been carried out. */
  whenIdle(): Promise<void> {
    if (!this.running && !this.scheduled && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.runBatch();
    });
  }

  private async runBatch(): Promise<void> {
    const effects = this.pending;
    this.pending = [];
    this.running = true;
    try {
      await this.carryOut(effects);
    } catch (error) {
      this.sinks.fatal(error as Error);
      return;
    }
    this.running = false;
    if (this.pending.length > 0) this.schedule();
    else this.notifyIdle();
  }

  private async carryOut(effects: Effect[]): Promise<void> {
    const persistence: PersistenceEffect[] = [];
    const messages: RaftMessage[] = [];
    const replies: { ref: number; response: Response }[] = [];
    for (const effect of effects) {
      if (isPersistenceEffect(effect)) persistence.push(effect);
      else if (effect.type === 'send') messages.push(effect.message);
      else if (effect.type === 'reply') replies.push(effect);
      else if (effect.type === 'log') this.sinks.log(effect.event, effect.fields);
    }
    this.counters.batches += 1;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, effects.length);
    if (persistence.length > 0) {
      this.counters.durableBatches += 1;
      await this.sinks.persist(persistence);
    }
    if (messages.length > 0) this.sinks.send(groupByPeer(messages));
    if (replies.length > 0) this.sinks.reply(replies);
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
