// The memo of the linearization search: which (set of linearized operations, register state)
// configurations it has already explored. Kept exact but compact: the search linearizes roughly in
// order of invocation, so a set is mostly a run of full words, then a few mixed words, then zeros.
// Only the mixed words are stored, with the indefinite operations (which may stay unlinearized
// for ever and so break the run of full words) recorded on the side. Records live in one growing
// arena, found through an open-addressing table.

/** The arena stops growing past this many words; the search then gives up (`exceeded`). */
const arenaLimitWords = 1 << 28;

export class ConfigurationMemo {
  private readonly words: number;
  /** Bits of the operations that may stay unlinearized (indefinite ones), and their positions. */
  private readonly openMask: Uint32Array;
  private readonly openOperations: Int32Array;
  private readonly openWords: number;
  private arena = new Uint32Array(1 << 16);
  private arenaUsed = 0;
  private entries = 0;
  private offsets = new Int32Array(1024);
  private hashes = new Uint32Array(1024);
  private states = new Int32Array(1024);
  /** Slot -> entry index + 1 (0: empty); its length is a power of two, at most half full. */
  private slots = new Int32Array(2048);
  /** The record being looked up or added. */
  private record: Uint32Array;

  /** `open`: for each operation, whether it may never be linearized (its bit can stay 0 below the others). */
  constructor(open: readonly boolean[]) {
    this.words = Math.ceil(open.length / 32) || 1;
    this.openMask = new Uint32Array(this.words);
    const openOperations: number[] = [];
    open.forEach((isOpen, operation) => {
      if (!isOpen) return;
      this.openMask[operation >>> 5]! |= 1 << (operation & 31);
      openOperations.push(operation);
    });
    this.openOperations = Int32Array.from(openOperations);
    this.openWords = Math.ceil(openOperations.length / 32);
    this.record = new Uint32Array(3 + this.openWords + this.words);
  }

  /**
   * Records (bits, state) under `hash`: true when it is new, false when it was there already, and
   * null when the memo is full.
   */
  remember(bits: Uint32Array, state: number, hash: number): boolean | null {
    const length = this.encode(bits);
    if (this.entries === this.hashes.length) this.growTable();
    if (this.arenaUsed + length > this.arena.length && !this.growArena(length)) return null;
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let entry = this.slots[slot]!; entry !== 0; slot = (slot + 1) & mask, entry = this.slots[slot]!) {
      if (this.hashes[entry - 1] === hash && this.states[entry - 1] === state && this.holds(entry - 1, length)) return false;
    }
    const entry = this.entries++;
    this.offsets[entry] = this.arenaUsed;
    this.arena.set(this.record.subarray(0, length), this.arenaUsed);
    this.arenaUsed += length;
    this.hashes[entry] = hash;
    this.states[entry] = state;
    this.slots[slot] = entry + 1;
    return true;
  }

  /**
   * Writes the record of `bits` to this.record and returns its length: [length, low, high, bits of
   * the open operations below word low, words low..high], where the words below low are full but
   * for open operations and the words above high are zero.
   */
  private encode(bits: Uint32Array): number {
    let low = 0;
    while (low < this.words && (bits[low]! | this.openMask[low]!) === -1) low++;
    let high = this.words - 1;
    while (high >= low && bits[high] === 0) high--;
    const record = this.record;
    let length = 3;
    if (this.openWords > 0) {
      record.fill(0, 3, 3 + this.openWords);
      for (let index = 0; index < this.openOperations.length; index++) {
        const operation = this.openOperations[index]!;
        if (operation >>> 5 >= low) break;
        if ((bits[operation >>> 5]! & (1 << (operation & 31))) !== 0) record[3 + (index >>> 5)]! |= 1 << (index & 31);
      }
      length += this.openWords;
    }
    for (let word = low; word <= high; word++) record[length++] = bits[word]!;
    record[0] = length;
    record[1] = low;
    record[2] = high;
    return length;
  }

  private holds(entry: number, length: number): boolean {
    const offset = this.offsets[entry]!;
    if (this.arena[offset] !== length) return false;
    for (let index = 1; index < length; index++) if (this.arena[offset + index] !== this.record[index]) return false;
    return true;
  }

  private growArena(needed: number): boolean {
    let size = this.arena.length * 2;
    while (size < this.arenaUsed + needed) size *= 2;
    if (size > arenaLimitWords) return false;
    const arena = new Uint32Array(size);
    arena.set(this.arena.subarray(0, this.arenaUsed));
    this.arena = arena;
    return true;
  }

  /** Doubles the entry capacity and rebuilds the table. */
  private growTable(): void {
    const capacity = this.hashes.length * 2;
    const grown = <T extends Uint32Array | Int32Array>(old: T, make: (size: number) => T): T => {
      const array = make(capacity);
      array.set(old);
      return array;
    };
    this.offsets = grown(this.offsets, (size) => new Int32Array(size));
    this.hashes = grown(this.hashes, (size) => new Uint32Array(size));
    this.states = grown(this.states, (size) => new Int32Array(size));
    this.slots = new Int32Array(capacity * 2);
    const mask = this.slots.length - 1;
    for (let entry = 0; entry < this.entries; entry++) {
      let slot = this.hashes[entry]! & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = entry + 1;
    }
  }
}
