// Linearizable reads by ReadIndex. A read waits for a quorum round that STARTED after it
// arrived (so the leader was still leader after the read arrived), then until the state
// machine has applied its readIndex. Reads arriving while a round is out wait for the next
// one, so concurrent reads share one round.

export interface PendingRead {
  ref: number;
  id: number;
  key: string;
  deadlineTick: number;
  round: number;
  readIndex: number;
}

export class ReadIndexQueue {
  /** Reads not yet assigned to a round, in arrival order. */
  private waiting: PendingRead[] = [];
  /** Reads assigned to a round, in round order (readIndex never decreases along it). */
  private inRound: PendingRead[] = [];
  /** The last round started; heartbeats carry it. */
  currentRound = 0;
  confirmedRound = 0;

  add(ref: number, id: number, key: string, deadlineTick: number): void {
    this.waiting.push({ ref, id, key, deadlineTick, round: 0, readIndex: 0 });
  }

  /** Whether a new round should start now: reads wait and no round is out. */
  wantsRound(): boolean {
    return this.waiting.length > 0 && this.currentRound === this.confirmedRound;
  }

  /** Start a round for every waiting read; returns its number. */
  startRound(readIndex: number): number {
    this.currentRound += 1;
    for (const read of this.waiting) {
      read.round = this.currentRound;
      read.readIndex = readIndex;
      this.inRound.push(read);
    }
    this.waiting = [];
    return this.currentRound;
  }

  confirm(round: number): void {
    this.confirmedRound = Math.max(this.confirmedRound, Math.min(round, this.currentRound));
  }

  /** Remove and return the reads whose round is confirmed and whose readIndex is applied. */
  takeReady(lastApplied: number): PendingRead[] {
    let count = 0;
    while (count < this.inRound.length) {
      const read = this.inRound[count]!;
      if (read.round > this.confirmedRound || read.readIndex > lastApplied) break;
      count += 1;
    }
    return count === 0 ? [] : this.inRound.splice(0, count);
  }

  /** Remove and return the reads whose deadline has passed. */
  takeExpired(tick: number): PendingRead[] {
    const expired: PendingRead[] = [];
    for (const list of [this.inRound, this.waiting]) {
      let count = 0;
      while (count < list.length && list[count]!.deadlineTick <= tick) count += 1;
      expired.push(...list.splice(0, count));
    }
    return expired;
  }

  /** Remove and return every pending read (the leader is stepping down). */
  takeAll(): PendingRead[] {
    const all = [...this.inRound, ...this.waiting];
    this.inRound = [];
    this.waiting = [];
    this.confirmedRound = this.currentRound;
    return all;
  }

  isEmpty(): boolean {
    return this.inRound.length === 0 && this.waiting.length === 0;
  }
}
