// Pure: the keys in use, as Jepsen's independent keys. A key is retired after `opsPerKey`
// completed operations or `infoPerKey` indefinite ones, and a fresh key takes its slot, so each
// key's history stays small enough to check.

import type { SeededRandom } from '../shared/seeded-random.js';

interface KeySlot {
  key: string;
  operations: number;
  indefinite: number;
}

export interface KeyPoolLimits {
  keys: number;
  opsPerKey: number;
  infoPerKey: number;
}

export class KeyPool {
  readonly #limits: KeyPoolLimits;
  readonly #slots: KeySlot[] = [];
  readonly #retired: string[] = [];
  #nextKey = 0;

  constructor(limits: KeyPoolLimits) {
    if (!(limits.keys >= 1 && limits.opsPerKey >= 1 && limits.infoPerKey >= 1)) {
      throw new Error(`KeyPool: keys, opsPerKey and infoPerKey must each be at least 1, got ${JSON.stringify(limits)}`);
    }
    this.#limits = limits;
    for (let slot = 0; slot < limits.keys; slot += 1) this.#slots.push(this.#freshSlot());
  }

  /** A key in use, chosen at random. */
  choose(random: SeededRandom): string {
    return random.pick(this.#slots).key;
  }

  /** Counts one completed operation on a key; retires the key when it reaches a limit. */
  record(key: string, indefinite: boolean): void {
    const index = this.#slots.findIndex((slot) => slot.key === key);
    if (index === -1) return; // already retired: operations that were in flight still complete
    const slot = this.#slots[index]!;
    slot.operations += 1;
    if (indefinite) slot.indefinite += 1;
    if (slot.operations >= this.#limits.opsPerKey || slot.indefinite >= this.#limits.infoPerKey) {
      this.#retired.push(slot.key);
      this.#slots[index] = this.#freshSlot();
    }
  }

  get activeKeys(): string[] {
    return this.#slots.map((slot) => slot.key);
  }

  get retiredKeys(): string[] {
    return [...this.#retired];
  }

  #freshSlot(): KeySlot {
    const key = `k${this.#nextKey}`;
    this.#nextKey += 1;
    return { key, operations: 0, indefinite: 0 };
  }
}
