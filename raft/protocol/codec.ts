// The line codec of the client wire protocol (SPEC section 1): splits a byte stream into lines,
// validates each request against the registry, and encodes responses. Pure: no sockets.

import {
  maxLineBytes,
  operations,
  type ErrorResponse,
  type FieldType,
  type OperationName,
  type Request,
  type Response,
} from './registry.js';

export type LineEvent = { kind: 'line'; line: string } | { kind: 'too_long'; bytes: number };

const newline = 0x0a;

/**
 * Splits a byte stream into lines of at most `maxBytes` bytes (newline excluded). A longer line
 * is reported once as `too_long` as soon as it crosses the limit, and the rest of it, up to the
 * next newline, is discarded without being buffered. Empty lines are skipped.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private discarding = false;

  constructor(private readonly maxBytes: number = maxLineBytes) {}

  push(chunk: Buffer): LineEvent[] {
    const events: LineEvent[] = [];
    let position = 0;
    while (position < chunk.length) {
      const end = chunk.indexOf(newline, position);
      if (this.discarding) {
        if (end === -1) return events;
        this.discarding = false;
        position = end + 1;
        continue;
      }
      if (end === -1) {
        this.keepPartial(chunk.subarray(position), events);
        return events;
      }
      this.completeLine(chunk.subarray(position, end), events);
      position = end + 1;
    }
    return events;
  }

  /** Bytes held for an incomplete line. */
  get bufferedBytes(): number {
    return this.partBytes;
  }

  private keepPartial(rest: Buffer, events: LineEvent[]): void {
    if (this.partBytes + rest.length > this.maxBytes) {
      this.startDiscarding(this.partBytes + rest.length, events);
      return;
    }
    this.parts.push(rest);
    this.partBytes += rest.length;
  }

  private completeLine(tail: Buffer, events: LineEvent[]): void {
    const total = this.partBytes + tail.length;
    if (total > this.maxBytes) {
      this.parts = [];
      this.partBytes = 0;
      events.push({ kind: 'too_long', bytes: total });
      return;
    }
    const bytes = this.parts.length === 0 ? tail : Buffer.concat([...this.parts, tail], total);
    this.parts = [];
    this.partBytes = 0;
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim().length > 0) events.push({ kind: 'line', line: text });
  }

  private startDiscarding(bytesSoFar: number, events: LineEvent[]): void {
    this.parts = [];
    this.partBytes = 0;
    this.discarding = true;
    events.push({ kind: 'too_long', bytes: bytesSoFar });
  }
}

export type ParsedRequest = { ok: true; request: Request } | { ok: false; response: ErrorResponse };

export function badRequest(id: number | null, message: string): ErrorResponse {
  return { id, ok: false, error: 'bad_request', message };
}

export function tooLongResponse(bytes: number): ErrorResponse {
  return badRequest(null, `request line longer than ${maxLineBytes} bytes (at least ${bytes} bytes); the line was discarded up to the next newline`);
}

/** Parses one request line and validates it against the operation registry. */
export function parseRequest(line: string): ParsedRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, response: badRequest(null, `invalid JSON: ${(error as Error).message}`) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, response: badRequest(null, 'expected a JSON object with "id" and "op"') };
  }
  const object = value as Record<string, unknown>;
  if (typeof object.id !== 'number' || !Number.isFinite(object.id)) {
    return { ok: false, response: badRequest(null, `"id" must be a number, got ${describe(object.id)}`) };
  }
  return validateOperation(object.id, object);
}

function validateOperation(id: number, object: Record<string, unknown>): ParsedRequest {
  const op = object.op;
  if (typeof op !== 'string' || !Object.hasOwn(operations, op)) {
    const known = Object.keys(operations).join(', ');
    return { ok: false, response: badRequest(id, `unknown op ${describe(op)}; expected one of ${known}`) };
  }
  const spec = operations[op as OperationName];
  const request: Record<string, unknown> = { id, op };
  for (const [field, type] of Object.entries(spec.fields) as [string, FieldType][]) {
    if (!Object.hasOwn(object, field)) {
      return { ok: false, response: badRequest(id, `${op}: missing field "${field}" (${type})`) };
    }
    if (!matchesType(object[field], type)) {
      return { ok: false, response: badRequest(id, `${op}: field "${field}" must be ${type}, got ${describe(object[field])}`) };
    }
    request[field] = object[field];
  }
  for (const [field, type] of Object.entries(spec.optionalFields) as [string, FieldType][]) {
    if (!Object.hasOwn(object, field) || object[field] === undefined) continue;
    if (!matchesType(object[field], type)) {
      return { ok: false, response: badRequest(id, `${op}: field "${field}" must be ${type}, got ${describe(object[field])}`) };
    }
    request[field] = object[field];
  }
  return { ok: true, request: request as Request };
}

function matchesType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'string|null':
      return value === null || typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** One response line, newline included. */
export function encodeResponse(response: Response): string {
  return `${JSON.stringify(response)}\n`;
}
