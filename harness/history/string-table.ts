// Strings read from bytes that repeat (a history's keys, node names, error codes): the same bytes
// give the same string, made once, instead of a fresh string on every line for the collector to
// sweep. A direct-mapped cache of 4096 slots: bounded, and a history of a million distinct keys
// costs little more than it did without it.

import { latin1Slice } from './latin1-slice.js';

const slotCount = 4096;

export class StringTable {
  readonly #slots = new Array<string | undefined>(slotCount);

  /** The latin1 string of bytes start..end (ASCII only: callers pass printable ASCII). */
  stringOf(bytes: Buffer, start: number, end: number): string {
    let hash = 0x811c9dc5;
    for (let position = start; position < end; position++) hash = Math.imul(hash ^ bytes[position]!, 0x01000193);
    const slot = (hash >>> 0) & (slotCount - 1);
    const known = this.#slots[slot];
    if (known !== undefined && sameBytes(known, bytes, start, end)) return known;
    const made = latin1Slice(bytes, start, end);
    this.#slots[slot] = made;
    return made;
  }
}

function sameBytes(text: string, bytes: Buffer, start: number, end: number): boolean {
  if (text.length !== end - start) return false;
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) !== bytes[start + index]) return false;
  return true;
}
