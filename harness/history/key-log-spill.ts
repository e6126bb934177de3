// Key logs parked on disk while their key is idle: a long run's history touches thousands of keys,
// each busy for a while and then quiet until the final reads at the very end, and holding them all
// in memory made the check's memory grow with the length of the run. A parked log is its columns
// written to one file; it comes back whole when its key is touched again or checked.
// The file is unlinked as soon as it is open, so nothing is left behind however the process ends.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyOperationLog, type KeyOperationLogSnapshot, type LabelTable, type StringColumnSnapshot } from './key-operation-log.js';

/** Where a parked log's arrays are in the file, one after another in the order of `arraysOf`. */
export interface ParkedKeyLog {
  key: string;
  length: number;
  position: number;
  byteLengths: number[];
  /** The rare strings a string column holds as themselves (non-ASCII), kept in memory. */
  valueOthers: Map<number, string>;
  fromOthers: Map<number, string>;
}

type ColumnArray = KeyOperationLogSnapshot['columns'][keyof KeyOperationLogSnapshot['columns']] | Uint8Array<ArrayBuffer> | Int32Array<ArrayBuffer>;

export class KeyLogSpill {
  readonly #fd: number;
  #end = 0;
  #closed = false;

  constructor() {
    const directory = mkdtempSync(join(tmpdir(), 'raft-chaos-check-'));
    try {
      const path = join(directory, 'parked-keys');
      this.#fd = openSync(path, 'w+');
      unlinkSync(path);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }

  /** Bytes written so far (parked logs are never rewritten in place). */
  get bytes(): number {
    return this.#end;
  }

  park(log: KeyOperationLog): ParkedKeyLog {
    const snapshot = log.snapshot();
    const arrays = arraysOf(snapshot);
    const position = this.#end;
    for (const array of arrays) {
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      let written = 0;
      while (written < bytes.length) written += writeSync(this.#fd, bytes, written, bytes.length - written, this.#end + written);
      this.#end += bytes.length;
    }
    return { key: snapshot.key, length: snapshot.length, position, byteLengths: arrays.map((array) => array.byteLength), valueOthers: snapshot.value.others, fromOthers: snapshot.from.others };
  }

  restore(parked: ParkedKeyLog, labels: LabelTable): KeyOperationLog {
    let position = parked.position;
    const buffers = parked.byteLengths.map((byteLength) => {
      const buffer = new ArrayBuffer(byteLength);
      const bytes = new Uint8Array(buffer);
      for (let done = 0; done < byteLength; ) {
        const count = readSync(this.#fd, bytes, done, byteLength - done, position + done);
        if (count === 0) throw new Error(`the parked operations of key ${parked.key} end early in the check's spill file; rerun the check`);
        done += count;
      }
      position += byteLength;
      return buffer;
    });
    return KeyOperationLog.of(snapshotOf(parked, buffers), labels);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

/** The snapshot's arrays in the order they are written; `snapshotOf` reads them back in the same order. */
function arraysOf(snapshot: KeyOperationLogSnapshot): ColumnArray[] {
  const { columns, value, from } = snapshot;
  return [columns.index, columns.process, columns.invokeNs, columns.completeNs, columns.kind, columns.outcome, columns.error, columns.node, value.bytes, value.start, value.length, from.bytes, from.start, from.length];
}

function snapshotOf(parked: ParkedKeyLog, buffers: ArrayBuffer[]): KeyOperationLogSnapshot {
  const [index, process, invokeNs, completeNs, kind, outcome, error, node, valueBytes, valueStart, valueLength, fromBytes, fromStart, fromLength] = buffers as [ArrayBuffer, ...ArrayBuffer[]];
  const columns = { index: new Int32Array(index), process: new Float64Array(process!), invokeNs: new Float64Array(invokeNs!), completeNs: new Float64Array(completeNs!), kind: new Uint8Array(kind!), outcome: new Uint8Array(outcome!), error: new Int32Array(error!), node: new Int32Array(node!) };
  const value: StringColumnSnapshot = { bytes: new Uint8Array(valueBytes!), start: new Int32Array(valueStart!), length: new Int32Array(valueLength!), others: parked.valueOthers };
  const from: StringColumnSnapshot = { bytes: new Uint8Array(fromBytes!), start: new Int32Array(fromStart!), length: new Int32Array(fromLength!), others: parked.fromOthers };
  return { key: parked.key, length: parked.length, columns, value, from };
}
