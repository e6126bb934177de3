// Reads `history.jsonl` (SPEC section 3). Every malformed line is reported as
// `file:line field: problem` so the writer of the file can be fixed.

import { readFile } from 'node:fs/promises';
import type { EventType, EventValue, HistoryEvent, OperationKind } from './history-event.js';
import { MalformedHistoryError } from './malformed-history-error.js';

const eventTypes: ReadonlySet<string> = new Set<EventType>(['invoke', 'ok', 'fail', 'info']);
const operationKinds: ReadonlySet<string> = new Set<OperationKind>(['read', 'write', 'cas', 'delete']);

/** The history events of `text`, with `fileName` used in error messages. Blank lines are skipped. */
export function parseHistory(text: string, fileName: string): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    events.push(parseEventLine(line, fileName, index + 1));
  }
  return events;
}

export async function readHistoryFile(path: string): Promise<HistoryEvent[]> {
  const text = await readFile(path, 'utf8');
  return parseHistory(text, path);
}

function parseEventLine(line: string, file: string, lineNumber: number): HistoryEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    throw new MalformedHistoryError(file, lineNumber, 'line', `not valid JSON (${(error as Error).message})`);
  }
  const fail = (field: string, problem: string): never => {
    throw new MalformedHistoryError(file, lineNumber, field, problem);
  };
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('line', 'expected a JSON object');
  const record = parsed as Record<string, unknown>;
  const process = record['process'];
  if (!Number.isSafeInteger(process) || (process as number) < 0) fail('process', `expected a non-negative integer, got ${show(process)}`);
  const type = record['type'];
  if (typeof type !== 'string' || !eventTypes.has(type)) fail('type', `expected invoke, ok, fail or info, got ${show(type)}`);
  const f = record['f'];
  if (typeof f !== 'string' || !operationKinds.has(f)) fail('f', `expected read, write, cas or delete, got ${show(f)}`);
  const key = record['key'];
  if (typeof key !== 'string') fail('key', `expected a string, got ${show(key)}`);
  const time = record['time'];
  if (!Number.isSafeInteger(time) || (time as number) < 0) fail('time', `expected non-negative integer nanoseconds, got ${show(time)}`);
  const value = parseValue(record['value'], f as OperationKind, type as EventType, fail);
  const event: HistoryEvent = { process: process as number, type: type as EventType, f: f as OperationKind, key: key as string, value, time: time as number };
  const error = record['error'];
  if (error !== undefined) {
    if (typeof error !== 'string') fail('error', `expected a string, got ${show(error)}`);
    event.error = error as string;
  }
  const node = record['node'];
  if (node !== undefined && node !== null) {
    if (typeof node !== 'string') fail('node', `expected a string, got ${show(node)}`);
    event.node = node as string;
  }
  return event;
}

function parseValue(value: unknown, f: OperationKind, type: EventType, fail: (field: string, problem: string) => never): EventValue {
  if (f === 'cas') {
    if (!Array.isArray(value) || value.length !== 2) return fail('value', `a cas takes [from, to], got ${show(value)}`);
    const [from, to] = value as unknown[];
    if (from !== null && typeof from !== 'string') return fail('value', `cas from must be a string or null, got ${show(from)}`);
    if (typeof to !== 'string') return fail('value', `cas to must be a string, got ${show(to)}`);
    return [from, to];
  }
  if (f === 'write') {
    if (typeof value !== 'string') return fail('value', `a write takes a string value, got ${show(value)}`);
    return value;
  }
  if (f === 'read' && type === 'ok') {
    if (value !== null && typeof value !== 'string') return fail('value', `a read returns a string or null, got ${show(value)}`);
    return value ?? null;
  }
  // read invoke/fail/info and delete carry no value; tolerate one being present but ignore it.
  if (value !== undefined && value !== null && typeof value !== 'string') return fail('value', `expected a string or null, got ${show(value)}`);
  return f === 'read' ? null : ((value as string | null | undefined) ?? null);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
