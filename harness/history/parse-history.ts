// Reads `history.jsonl` (SPEC section 3). Every malformed line is reported as
// `file:line field: problem` so the writer of the file can be fixed.

import type { EventType, HistoryEvent, OperationKind } from './history-event.js';
import { MalformedHistoryError } from './malformed-history-error.js';

const eventTypes: ReadonlySet<string> = new Set<EventType>(['invoke', 'ok', 'fail', 'info']);
const operationKinds: ReadonlySet<string> = new Set<OperationKind>(['read', 'write', 'cas', 'delete']);

/**
 * Times grow past 2^31 ns (2.1 s) into a history, where V8 switches the `time` field of the
 * parsed objects from small integers to doubles. That retires the object layout (hidden class)
 * of every event parsed before, and each of them is then migrated, one slow call at a time, on its
 * next use: two thirds of the time of pairing a 10k-operation history. Parsing events with
 * fractional times once, in the order of keys the recorder writes, settles the layouts on doubles
 * before the first real line.
 */
function settleEventLayouts(): void {
  // The plain event first: parsed only after one with more keys, its own layout is not settled (measured).
  const plain = '{"process":0,"type":"ok","f":"read","key":"","value":null,"time":0.5';
  for (const rest of ['}', ',"error":""}', ',"node":""}', ',"error":"","node":""}']) JSON.parse(plain + rest);
}

settleEventLayouts();

/** The history events of `text`, with `fileName` used in error messages. Blank lines are skipped. */
export function parseHistory(text: string, fileName: string): HistoryEvent[] {
  return parseHistoryLines(text, fileName).events;
}

/**
 * The events and, for each, its 1-based line number in the file. A leading UTF-8 byte order mark
 * is skipped; a time smaller than the line before it is malformed (one monotonic clock, SPEC
 * section 3).
 */
export function parseHistoryLines(text: string, fileName: string): { events: HistoryEvent[]; lines: number[] } {
  const events: HistoryEvent[] = [];
  const lineNumbers: number[] = [];
  const order = new TimeOrder(fileName);
  let lineNumber = 0;
  for (let start = text.startsWith(byteOrderMark) ? 1 : 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNumber++;
    const event = parseHistoryLine(text.slice(start, end), fileName, lineNumber);
    start = end + 1;
    if (event === null) continue;
    order.check(event, lineNumber);
    events.push(event);
    lineNumbers.push(lineNumber);
  }
  return { events, lines: lineNumbers };
}

export const byteOrderMark = '\uFEFF';

/** The event on `line`, line `lineNumber` of `fileName`; null when the line is blank. */
export function parseHistoryLine(line: string, fileName: string, lineNumber: number): HistoryEvent | null {
  return line.trim() === '' ? null : parseEventLine(line, fileName, lineNumber);
}

/** Throws when an event's time is smaller than the one before it: every time comes from one monotonic clock. */
export class TimeOrder {
  #previousTime = -Infinity;
  #previousLine = 0;

  constructor(private readonly fileName: string) {}

  check(event: HistoryEvent, lineNumber: number): void {
    if (event.time < this.#previousTime) throw timeWentBack(this.fileName, lineNumber, event.time, this.#previousTime, this.#previousLine);
    this.#previousTime = event.time;
    this.#previousLine = lineNumber;
  }
}

function timeWentBack(file: string, lineNumber: number, time: number, previousTime: number, previousLine: number): MalformedHistoryError {
  const problem = `${time} is smaller than ${previousTime} on line ${previousLine}; every time comes from one monotonic clock in the order observed, so it never goes back (SPEC section 3)`;
  return new MalformedHistoryError(file, lineNumber, 'time', problem);
}

function parseEventLine(line: string, file: string, lineNumber: number): HistoryEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    throw new MalformedHistoryError(file, lineNumber, 'line', `not valid JSON (${(error as Error).message})`);
  }
  const problem = validateEvent(parsed);
  if (problem !== null) throw new MalformedHistoryError(file, lineNumber, problem[0], problem[1]);
  return parsed as HistoryEvent;
}

/**
 * Checks one parsed line in place (normalising the value of reads and deletes); returns
 * [field, problem] when it breaks SPEC section 3. Kept free of allocations on the happy path.
 */
function validateEvent(parsed: unknown): [string, string] | null {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return ['line', 'expected a JSON object'];
  const record = parsed as Record<string, unknown>;
  const process = record['process'];
  if (!Number.isSafeInteger(process) || (process as number) < 0) return ['process', `expected a non-negative integer, got ${show(process)}`];
  const type = record['type'];
  if (typeof type !== 'string' || !eventTypes.has(type)) return ['type', `expected invoke, ok, fail or info, got ${show(type)}`];
  const f = record['f'];
  if (typeof f !== 'string' || !operationKinds.has(f)) return ['f', `expected read, write, cas or delete, got ${show(f)}`];
  if (typeof record['key'] !== 'string') return ['key', `expected a string, got ${show(record['key'])}`];
  const time = record['time'];
  if (!Number.isSafeInteger(time) || (time as number) < 0) return ['time', `expected non-negative integer nanoseconds, got ${show(time)}`];
  const valueProblem = checkValue(record, f as OperationKind, type as EventType);
  if (valueProblem !== null) return ['value', valueProblem];
  const error = record['error'];
  if (error !== undefined && typeof error !== 'string') return ['error', `expected a string, got ${show(error)}`];
  const node = record['node'];
  if (node === null) delete record['node'];
  else if (node !== undefined && typeof node !== 'string') return ['node', `expected a string, got ${show(node)}`];
  return null;
}

function checkValue(record: Record<string, unknown>, f: OperationKind, type: EventType): string | null {
  const value = record['value'];
  if (f === 'cas') {
    if (!Array.isArray(value) || value.length !== 2) return `a cas takes [from, to], got ${show(value)}`;
    if (value[0] !== null && typeof value[0] !== 'string') return `cas from must be a string or null, got ${show(value[0])}`;
    if (typeof value[1] !== 'string') return `cas to must be a string, got ${show(value[1])}`;
    return null;
  }
  if (f === 'write') return typeof value === 'string' ? null : `a write takes a string value, got ${show(value)}`;
  if (f === 'read' && type === 'ok') {
    if (value === undefined) record['value'] = null;
    else if (value !== null && typeof value !== 'string') return `a read returns a string or null, got ${show(value)}`;
    return null;
  }
  // read invoke/fail/info and delete carry no value: tolerate one being there, store null.
  if (value !== undefined && value !== null && typeof value !== 'string') return `expected a string or null, got ${show(value)}`;
  record['value'] = null;
  return null;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
