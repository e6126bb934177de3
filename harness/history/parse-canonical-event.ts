// A fast reader of the one line shape the recorder writes, straight from the file's bytes:
// {"process":N,"type":"T","f":"F","key":"K","value":V,"time":N} then optionally ,"error":"E" and
// ,"node":"N", with no spaces, strings of printable ASCII without escapes, and plain integers. It
// gives exactly the event JSON.parse and the validation in parse-history.ts give, or null for any
// other line, which then goes through them (so every malformed line keeps its message). Strings
// are fresh copies, never slices of a piece of the file that would keep it alive.

import type { EventType, EventValue, HistoryEvent, OperationKind } from './history-event.js';
import { latin1Slice } from './latin1-slice.js';
import { StringTable } from './string-table.js';

const quote = 0x22;
const backslash = 0x5c;
const closingBrace = 0x7d;
const openingBracket = 0x5b;
const digitZero = 0x30;
const digitNine = 0x39;
const printableMin = 0x20;
const printableMax = 0x7e;
/** Fifteen digits always make a safe integer; longer numbers take the JSON.parse path. */
const digitsMax = 15;

const literal = (text: string) => Buffer.from(text, 'latin1');
const processField = literal('{"process":');
const typeField = literal(',"type":"');
const kindField = literal('","f":"');
const keyField = literal('","key":');
const valueField = literal(',"value":');
const timeField = literal(',"time":');
const errorField = literal(',"error":');
const nodeField = literal(',"node":');
const nullLiteral = literal('null');
const commaLiteral = literal(',');
const closingBracketLiteral = literal(']');

const eventTypes: readonly [Buffer, EventType][] = (['invoke', 'ok', 'fail', 'info'] as const).map((name) => [literal(`${name}"`), name]);
const operationKinds: readonly [Buffer, OperationKind][] = (['read', 'write', 'cas', 'delete'] as const).map((name) => [literal(`${name}"`), name]);

/** A cursor over one line; `position` is -1 once the line left the canonical shape. */
class LineCursor {
  bytes: Buffer = Buffer.alloc(0);
  position = 0;
  end = 0;

  /** One cursor serves every line: a new one per line was a tenth of the reading time, in garbage. */
  reset(bytes: Buffer, start: number, end: number): this {
    this.bytes = bytes;
    this.position = start;
    this.end = end;
    return this;
  }

  at(expected: Buffer): boolean {
    const { bytes, position } = this;
    if (position < 0 || position + expected.length > this.end) return false;
    for (let offset = 0; offset < expected.length; offset++) if (bytes[position + offset] !== expected[offset]) return false;
    return true;
  }

  expect(expected: Buffer): boolean {
    if (!this.at(expected)) return this.fail();
    this.position += expected.length;
    return true;
  }

  /** A non-negative integer without leading zeros, or -1. */
  integer(): number {
    const { bytes, end } = this;
    let position = this.position;
    if (position < 0) return -1;
    const first = position;
    let value = 0;
    for (; position < end && bytes[position]! >= digitZero && bytes[position]! <= digitNine; position++) value = value * 10 + (bytes[position]! - digitZero);
    const digits = position - first;
    if (digits === 0 || digits > digitsMax || (digits > 1 && bytes[first] === digitZero)) {
      this.fail();
      return -1;
    }
    this.position = position;
    return value;
  }

  /** A quoted string of printable ASCII without escapes, or null; `strings` may give one made before. */
  string(strings?: StringTable): string | null {
    const { bytes, end } = this;
    if (this.position < 0 || bytes[this.position] !== quote) return this.failNull();
    const start = this.position + 1;
    let position = start;
    for (; position < end && bytes[position] !== quote; position++) {
      const byte = bytes[position]!;
      if (byte < printableMin || byte > printableMax || byte === backslash) return this.failNull();
    }
    if (position >= end) return this.failNull();
    this.position = position + 1;
    return strings === undefined ? latin1Slice(bytes, start, position) : strings.stringOf(bytes, start, position);
  }

  /** null, a string, or [null or string, string]; undefined when it is none of these. */
  value(): EventValue | undefined {
    if (this.position < 0) return undefined;
    const byte = this.bytes[this.position];
    if (byte === quote) return this.string() ?? undefined;
    if (byte === openingBracket) {
      this.position++;
      const from = this.bytes[this.position] === quote ? this.string() : this.expect(nullLiteral) ? null : undefined;
      if (from === undefined || !this.expect(commaLiteral)) return undefined;
      const to = this.string();
      if (to === null || !this.expect(closingBracketLiteral)) return undefined;
      return [from, to];
    }
    return this.expect(nullLiteral) ? null : undefined;
  }

  oneOf<T extends string>(names: readonly [Buffer, T][]): T | null {
    for (const [bytes, name] of names) {
      if (this.at(bytes)) {
        this.position += bytes.length - 1; // the closing quote stays for the next field
        return name;
      }
    }
    return this.failNull();
  }

  /** An optional `,"name":"text"` field. */
  optionalString(field: Buffer): string | undefined | null {
    if (!this.at(field)) return undefined;
    this.position += field.length;
    return this.string(labels);
  }

  fail(): false {
    this.position = -1;
    return false;
  }

  failNull(): null {
    this.position = -1;
    return null;
  }
}

/** The event on `bytes` from `start` to `end` (exclusive), or null when it is not in the canonical shape. */
export function parseCanonicalEvent(bytes: Buffer, start: number, end: number): HistoryEvent | null {
  const cursor = sharedCursor.reset(bytes, start, end);
  cursor.expect(processField);
  const process = cursor.integer();
  cursor.expect(typeField);
  const type = cursor.oneOf(eventTypes);
  cursor.expect(kindField);
  const f = cursor.oneOf(operationKinds);
  cursor.expect(keyField);
  const key = cursor.string(keys);
  cursor.expect(valueField);
  const value = cursor.value();
  cursor.expect(timeField);
  const time = cursor.integer();
  if (cursor.position < 0 || type === null || f === null || key === null || value === undefined) return null;
  const normalised = canonicalValue(value, f, type);
  if (normalised === undefined) return null;
  const event = newEvent(process, type, f, key, normalised, time);
  const error = cursor.optionalString(errorField);
  if (error === null) return null;
  if (error !== undefined) event.error = error;
  const node = cursor.optionalString(nodeField);
  if (node === null) return null;
  if (node !== undefined) event.node = node;
  return cursor.position >= 0 && cursor.position === end - 1 && bytes[cursor.position] === closingBrace ? event : null;
}

const sharedCursor = new LineCursor();
/** Keys, node names and error codes repeat on every line: each is made into a string once. */
const keys = new StringTable();
const labels = new StringTable();

function newEvent(process: number, type: EventType, f: OperationKind, key: string, value: EventValue, time: number): HistoryEvent {
  return { process, type, f, key, value, time };
}

// Times pass 2^31 ns 2.1 s into a history, where V8 would switch the events' `time` field from small
// integers to doubles and migrate every event made before: one event with a fractional time settles
// the layout on doubles first (as parse-history.ts does for JSON.parse).
newEvent(0, 'ok', 'read', '', null, 0.5).error = '';

/** The value as validation stores it (SPEC section 3), or undefined where validation would object. */
function canonicalValue(value: EventValue, f: OperationKind, type: EventType): EventValue | undefined {
  if (f === 'cas') return Array.isArray(value) ? value : undefined;
  if (Array.isArray(value)) return undefined;
  if (f === 'write') return typeof value === 'string' ? value : undefined;
  if (f === 'read' && type === 'ok') return value;
  return null;
}
