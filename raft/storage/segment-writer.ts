// One write-ahead log segment being written: records at [0, offset), zeros at [offset, fileEnd).
// The zeros are real blocks, written and fdatasynced ahead of the records: when the segment is
// created, and again by the flush that leaves less than half a reserve (its fdatasync makes the
// new zeros durable with its record). So a record lands on blocks that are already allocated and
// on disk, and its fdatasync has only data to flush: no new size, no new extent, no journal
// commit (bench:fdatasync, README "Where a put's time goes"). fallocate() alone leaves
// "unwritten" extents: the first write into each block converts it, a metadata update again.
// Records go at a tracked offset with positional writes, not O_APPEND. A crash leaves records,
// then at most one torn write, then zeros; recovery tells a clean zero tail from a torn record
// (record-format.ts).

import { open, type FileHandle } from 'node:fs/promises';
import { constants, fdatasyncSync, writeSync } from 'node:fs';
import { writeFileAtomic, type DurabilityOptions } from './durable-file.js';

/** Zero-filled bytes kept ahead of the write position; extended when less than half is left. */
export const defaultReserveBytes = 4 * 1024 * 1024;

export interface SegmentOptions extends DurabilityOptions {
  /** Zero-filled bytes kept ahead of the write position (defaultReserveBytes). */
  reserveBytes: number;
}

const zeroChunk = Buffer.alloc(1024 * 1024);

export class SegmentWriter {
  private constructor(
    private readonly handle: FileHandle,
    private offset: number,
    private fileEnd: number,
    private readonly options: SegmentOptions,
  ) {}

  /**
   * Creates the segment at `path` holding `contents` and then `reserveBytes` of zeros, atomically
   * (durable-file.ts: a synced temporary file renamed into place, the directory synced).
   */
  static async create(path: string, contents: Buffer, options: SegmentOptions): Promise<SegmentWriter> {
    await writeFileAtomic(path, Buffer.concat([contents, Buffer.alloc(options.reserveBytes)]), options);
    const handle = await open(path, constants.O_WRONLY);
    return new SegmentWriter(handle, contents.length, contents.length + options.reserveBytes, options);
  }

  /** Where the next record goes: the bytes of whole records so far. */
  get recordBytes(): number {
    return this.offset;
  }

  /** The file's size: records and the zero-filled reserve after them. */
  get sizeBytes(): number {
    return this.fileEnd;
  }

  /**
   * Writes `data` at the write position and makes it durable with one fdatasync (none when
   * fsync is off), extending the zero-filled reserve first when it runs low. Synchronous.
   */
  write(data: Buffer): void {
    const end = this.offset + data.length;
    if (this.fileEnd - end < this.options.reserveBytes / 2) this.extend(end + this.options.reserveBytes);
    let written = 0;
    while (written < data.length) written += writeSync(this.handle.fd, data, written, data.length - written, this.offset + written);
    this.offset = end;
    if (this.options.fsync) fdatasyncSync(this.handle.fd);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  /** Zero-fills [fileEnd, newEnd); the caller's fdatasync makes it durable with its record. */
  private extend(newEnd: number): void {
    while (this.fileEnd < newEnd) {
      this.fileEnd += writeSync(this.handle.fd, zeroChunk, 0, Math.min(zeroChunk.length, newEnd - this.fileEnd), this.fileEnd);
    }
  }
}
