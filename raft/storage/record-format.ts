// The on-disk record: 4-byte big-endian payload length, 4-byte CRC32 of the payload, then the
// payload (UTF-8 JSON). Used by the write-ahead log, the hard state and the snapshot files.
// Pure: encodes to and decodes from buffers.

import { crc32 } from 'node:zlib';

export const recordHeaderBytes = 8;

/** The largest payload a record may carry; a longer length field is damage, not data. */
export const maxRecordPayloadBytes = 256 * 1024 * 1024;

export function encodeRecord(payload: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const header = Buffer.allocUnsafe(recordHeaderBytes);
  header.writeUInt32BE(body.length, 0);
  header.writeUInt32BE(crc32(body), 4);
  return Buffer.concat([header, body], recordHeaderBytes + body.length);
}

/**
 * A damaged record with nothing but zeros after it: a write that did not finish before a crash.
 * `droppedBytes` is the record's extent as its header gives it (cut at the end of the file).
 */
export interface TornTail {
  offset: number;
  reason: string;
  droppedBytes: number;
}

export interface DecodedRecords {
  payloads: unknown[];
  /** Bytes from the start of the buffer that hold whole, valid records; zeros or a torn record follow. */
  validBytes: number;
  tornTail: TornTail | null;
}

const middleOfFileExplanation =
  'and more data follows it, so this is damage in the middle of the file, not a write torn by a crash';

/** A damaged record followed by more data: refused, never skipped. */
export class CorruptRecordError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
    explanation: string = middleOfFileExplanation,
  ) {
    super(
      `${file}: corrupt record at byte offset ${offset}: ${reason}, ${explanation}. Refusing to start rather than ` +
        'skip acknowledged data. Next step: restore this data directory from a backup, or remove it so the node ' +
        'rejoins empty and catches up from the leader (only safe while a majority of the cluster keeps its data).',
    );
    this.name = 'CorruptRecordError';
  }
}

/**
 * Decodes every record of `buffer`. The records may be followed by zeros (a log segment's
 * zero-filled reserve): a clean end, not damage. A damaged record followed only by zeros (or by
 * nothing) is reported as `tornTail`; a damaged record with non-zero data after it throws
 * CorruptRecordError naming `file` and the offset.
 */
export function decodeRecords(buffer: Buffer, file: string): DecodedRecords {
  const payloads: unknown[] = [];
  let offset = 0;
  while (offset < buffer.length && !isAllZero(buffer, offset)) {
    const read = readRecord(buffer, offset);
    if ('payload' in read) {
      payloads.push(read.payload);
      offset = read.end;
      continue;
    }
    if (read.end === null || !isAllZero(buffer, read.end)) throw new CorruptRecordError(file, offset, read.reason);
    return { payloads, validBytes: offset, tornTail: { offset, reason: read.reason, droppedBytes: read.end - offset } };
  }
  return { payloads, validBytes: offset, tornTail: null };
}

interface RecordProblem {
  reason: string;
  /** Where the damaged record ends as far as its header tells (at most the end of the buffer); null when the header is itself implausible. */
  end: number | null;
}

function readRecord(buffer: Buffer, offset: number): { payload: unknown; end: number } | RecordProblem {
  const remaining = buffer.length - offset;
  if (remaining < recordHeaderBytes) return { reason: `only ${remaining} bytes left, fewer than a record header`, end: buffer.length };
  const length = buffer.readUInt32BE(offset);
  if (length > maxRecordPayloadBytes) return { reason: `length field ${length} exceeds the ${maxRecordPayloadBytes}-byte limit`, end: null };
  const end = offset + recordHeaderBytes + length;
  if (end > buffer.length) return { reason: `record of ${length} bytes is cut short at ${remaining - recordHeaderBytes}`, end: buffer.length };
  const stored = buffer.readUInt32BE(offset + 4);
  const body = buffer.subarray(offset + recordHeaderBytes, end);
  const computed = crc32(body);
  if (stored !== computed) return { reason: `CRC32 mismatch (stored ${hex(stored)}, computed ${hex(computed)})`, end };
  try {
    return { payload: JSON.parse(body.toString('utf8')) as unknown, end };
  } catch {
    return { reason: 'checksum matches but the payload is not JSON', end };
  }
}

const zeroBlock = Buffer.alloc(64 * 1024);

/** Whether every byte from `from` to the end is zero; compares a block at a time. */
function isAllZero(buffer: Buffer, from: number): boolean {
  for (let start = from; start < buffer.length; start += zeroBlock.length) {
    const block = buffer.subarray(start, Math.min(buffer.length, start + zeroBlock.length));
    if (!block.equals(zeroBlock.subarray(0, block.length))) return false;
  }
  return true;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
