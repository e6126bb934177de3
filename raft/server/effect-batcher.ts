// Carries out the core's effects in the fixed order of raft/core/types.ts. The effects of the
// steps taken since the last batch started (all inputs of one event-loop turn, plus whatever
// arrived while the previous batch was being made durable) are split at the first step that has
// persistence effects:
//   - the steps before it depend only on what is already durable: their sends and replies go out
//     at once (this is how acknowledgements reach clients without waiting for an unrelated fsync);
//   - from that step on, one batch: 0. the sends the core marked `beforeDurable` (a leader's
//     AppendEntries when the core appends in parallel, Raft thesis §10.2.1); 1. the persistence
//     effects, in order, with ONE fsync (group commit); 2. then every other `send` (consecutive
//     AppendEntries to a peer merged, see coalesce-messages.ts), serialised once and written per
//     peer with one write; 3. then every `reply`, written per client connection with one write;
//     4. then `persisted` reports the last entry appended (a leader counts itself in a commit
//     quorum only up to it).
// A batch is formed on the setImmediate after the first step that has effects: no timer, no
// window that waits for more work; a lone step (a follower's one AppendEntries) is carried out
// in the same event-loop turn, and all steps of that turn's I/O callbacks share one fsync.
// One batch persists at a time, so for every step, everything it and the steps before it asked to
// persist is durable before any of its sends or replies.

import type { Effect, RaftMessage } from '../core/types.js';
import type { Response } from '../protocol/registry.js';
import { isPersistenceEffect, type PersistenceEffect } from '../storage/node-storage.js';
import { coalesceMessages } from './coalesce-messages.js';

export interface EffectSinks {
  persist(effects: PersistenceEffect[]): Promise<void>;
  /** Newline-terminated message lines per destination node. */
  send(linesByPeer: Map<string, string>): void;
  reply(replies: { ref: number; response: Response }[]): void;
  log(event: string, fields: Record<string, unknown>): void;
  /** The log is durable up to this entry (the last one the batch appended). */
  persisted(index: number, term: number): void;
  /** Persisting failed: the node cannot go on safely. */
  fatal(error: Error): void;
  /** Called as each batch is formed: step inputs held back while the previous batch persisted. */
  beforeBatch(): void;
}

export class EffectBatcher {
  /** Effects per step, in step order. */
  private pending: Effect[][] = [];
  private scheduled = false;
  private running = false;
  private wanted = false;
  private idleWaiters: (() => void)[] = [];
  readonly counters = { batches: 0, durableBatches: 0, largestBatch: 0, releasedEarly: 0, messages: 0, messagesAfterMerge: 0, persistMsTotal: 0 };

  constructor(
    private readonly sinks: EffectSinks,
    /** Most entries in one AppendEntries after merging (see coalesce-messages.ts). */
    private readonly maxEntriesPerMessage: number,
  ) {}

  /** The effects of one step. */
  add(effects: readonly Effect[]): void {
    if (effects.length === 0) return;
    this.pending.push(effects as Effect[]);
    this.schedule();
  }

  /** Whether a batch is being made durable right now. */
  get isPersisting(): boolean {
    return this.running;
  }

  /** Asks for a batch to be formed soon (beforeBatch will be called) even if nothing is pending. */
  requestBatch(): void {
    this.wanted = true;
    this.schedule();
  }

  /** Resolves once every effect added so far has been carried out. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return !this.running && !this.scheduled && !this.wanted && this.pending.length === 0;
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
    // `running` is set before beforeBatch, whose steps call add(): otherwise their schedule()
    // would start a second batch that persists beside this one, and two log writes in flight at
    // once can land on disk in either order.
    if (this.running) return;
    this.running = true;
    try {
      this.releaseLeadingSteps();
      this.wanted = false;
      this.sinks.beforeBatch();
      this.releaseLeadingSteps();
      const steps = this.pending;
      this.pending = [];
      if (steps.length > 0) await this.carryOut(steps.flat(), true);
    } catch (error) {
      this.sinks.fatal(error as Error);
      return;
    }
    this.running = false;
    // What the batch's `persisted` step (or peers meanwhile) produced that persists nothing, such
    // as the replies a commit allows, goes out now rather than one event-loop turn later.
    this.releaseLeadingSteps();
    if (this.pending.length > 0 || this.wanted) this.schedule();
    else this.notifyIdle();
  }

  /** Carries out, without waiting, the steps before the first one that must persist something. */
  private releaseLeadingSteps(): void {
    let count = 0;
    while (count < this.pending.length && !this.pending[count]!.some(isPersistenceEffect)) count += 1;
    if (count === 0) return;
    const steps = this.pending.splice(0, count);
    this.counters.releasedEarly += steps.length;
    void this.carryOut(steps.flat(), false);
  }

  private async carryOut(effects: Effect[], countAsBatch: boolean): Promise<void> {
    const persistence: PersistenceEffect[] = [];
    const early: RaftMessage[] = [];
    const messages: RaftMessage[] = [];
    const replies: { ref: number; response: Response }[] = [];
    for (const effect of effects) {
      if (isPersistenceEffect(effect)) persistence.push(effect);
      else if (effect.type === 'send') (effect.beforeDurable === true ? early : messages).push(effect.message);
      else if (effect.type === 'reply') replies.push(effect);
      else if (effect.type === 'log') this.sinks.log(effect.event, effect.fields);
    }
    if (countAsBatch) {
      this.counters.batches += 1;
      this.counters.largestBatch = Math.max(this.counters.largestBatch, effects.length);
    }
    if (persistence.length > 0) {
      this.sendMessages(early);
      this.counters.durableBatches += 1;
      const startedMs = performance.now();
      await this.sinks.persist(persistence);
      this.counters.persistMsTotal += performance.now() - startedMs;
    } else {
      messages.unshift(...early);
    }
    this.sendMessages(messages);
    if (replies.length > 0) this.sinks.reply(replies);
    // After the batch's own sends and replies (a follower's acknowledgement must not wait for a
    // core step); what the step produces is released once the batch is done (see runBatch).
    const appended = lastAppended(persistence);
    if (appended !== undefined) this.sinks.persisted(appended.index, appended.term);
  }

  private sendMessages(messages: RaftMessage[]): void {
    if (messages.length === 0) return;
    const merged = coalesceMessages(messages, this.maxEntriesPerMessage);
    this.counters.messages += messages.length;
    this.counters.messagesAfterMerge += merged.length;
    this.sinks.send(groupByPeer(merged));
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** The last entry the persistence effects append, if any. */
function lastAppended(effects: readonly PersistenceEffect[]): { index: number; term: number } | undefined {
  for (let position = effects.length - 1; position >= 0; position -= 1) {
    const effect = effects[position]!;
    if (effect.type === 'appendEntries' && effect.entries.length > 0) return effect.entries[effect.entries.length - 1];
  }
  return undefined;
}

function groupByPeer(messages: RaftMessage[]): Map<string, string> {
  const lines = new Map<string, string>();
  for (const message of messages) lines.set(message.to, (lines.get(message.to) ?? '') + `${JSON.stringify(message)}\n`);
  return lines;
}
