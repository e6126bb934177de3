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

/** A damaged record at the very end of a file: a write that did not finish before a crash. */
export interface TornTail {
  offset: number;
  reason: string;
  droppedBytes: number;
}

export interface DecodedRecords {
  payloads: unknown[];
  /** Bytes from the start of the buffer that hold whole, valid records. */
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
 * Decodes every record of `buffer`. A damaged last record (cut short, bad checksum, or a
 * zero-filled tail) is reported as `tornTail`; a damaged record with data after it throws
 * CorruptRecordError naming `file` and the offset.
 */
export function decodeRecords(buffer: Buffer, file: string): DecodedRecords {
  const payloads: unknown[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const read = readRecord(buffer, offset);
    if ('payload' in read) {
      payloads.push(read.payload);
      offset = read.end;
      continue;
    }
    if (!read.atTail && !isAllZero(buffer, offset)) throw new CorruptRecordError(file, offset, read.reason);
    return { payloads, validBytes: offset, tornTail: { offset, reason: read.reason, droppedBytes: buffer.length - offset } };
  }
  return { payloads, validBytes: offset, tornTail: null };
}

interface RecordProblem {
  reason: string;
  /** The damaged record reaches the end of the buffer. */
  atTail: boolean;
}

function readRecord(buffer: Buffer, offset: number): { payload: unknown; end: number } | RecordProblem {
  const remaining = buffer.length - offset;
  if (remaining < recordHeaderBytes) return { reason: `only ${remaining} bytes left, fewer than a record header`, atTail: true };
  const length = buffer.readUInt32BE(offset);
  if (length > maxRecordPayloadBytes) return { reason: `length field ${length} exceeds the ${maxRecordPayloadBytes}-byte limit`, atTail: false };
  const end = offset + recordHeaderBytes + length;
  if (end > buffer.length) return { reason: `record of ${length} bytes is cut short at ${remaining - recordHeaderBytes}`, atTail: true };
  const stored = buffer.readUInt32BE(offset + 4);
  const body = buffer.subarray(offset + recordHeaderBytes, end);
  const computed = crc32(body);
  if (stored !== computed) return { reason: `CRC32 mismatch (stored ${hex(stored)}, computed ${hex(computed)})`, atTail: end === buffer.length };
  try {
    return { payload: JSON.parse(body.toString('utf8')) as unknown, end };
  } catch {
    return { reason: 'checksum matches but the payload is not JSON', atTail: end === buffer.length };
  }
}

function isAllZero(buffer: Buffer, from: number): boolean {
  for (let index = from; index < buffer.length; index += 1) if (buffer[index] !== 0) return false;
  return true;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
