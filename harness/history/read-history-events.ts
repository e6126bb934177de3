// Reads `history.jsonl` (SPEC section 3) piece by piece and hands each event to a visitor with its
// line number, so that no more than a piece of the file is held: the same events and the same
// `file:line field: problem` errors as parseHistoryLines on the whole text. Lines in the shape the
// recorder writes are read straight from the bytes (parse-canonical-event.ts); any other line is
// decoded and goes through JSON.parse.

import { open, stat, type FileHandle } from 'node:fs/promises';
import type { HistoryEvent } from './history-event.js';
import { parseCanonicalEvent } from './parse-canonical-event.js';
import { byteOrderMark as byteOrderMarkText, parseHistoryLine, TimeOrder } from './parse-history.js';

const pieceBytes = 1 << 20;
const newline = 0x0a;
const byteOrderMark = Buffer.from(byteOrderMarkText, 'utf8');

/** The history file's size in bytes (how a check decides whether a second thread pays off). */
export async function historyFileBytes(path: string): Promise<number> {
  return (await stat(path)).size;
}

export type EventVisitor = (event: HistoryEvent, lineNumber: number) => void;

/** Calls `visit` on every event of the file at `path`, in order. Blank lines are skipped. */
export async function forEachHistoryEvent(path: string, visit: EventVisitor): Promise<void> {
  const file = await open(path, 'r');
  try {
    await readLines(file, new LineVisitor(path, visit));
  } finally {
    await file.close();
  }
}

async function readLines(file: FileHandle, lines: LineVisitor): Promise<void> {
  let buffer = Buffer.allocUnsafe(pieceBytes);
  let kept = 0;
  let first = true;
  for (;;) {
    // A line longer than the buffer: make room for it.
    if (kept === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    const { bytesRead } = await file.read(buffer, kept, buffer.length - kept, null);
    const piece = buffer.subarray(0, kept + bytesRead);
    let start = 0;
    if (first) {
      first = false;
      if (piece.subarray(0, byteOrderMark.length).equals(byteOrderMark)) start = byteOrderMark.length;
    }
    for (let end = piece.indexOf(newline, start); end >= 0; end = piece.indexOf(newline, start)) {
      lines.visitLine(piece, start, end);
      start = end + 1;
    }
    if (bytesRead === 0) {
      if (start < piece.length) lines.visitLine(piece, start, piece.length);
      return;
    }
    kept = piece.copy(buffer, 0, start);
  }
}

/** Parses each line, checks that times never go back, and hands the events on. */
class LineVisitor {
  #lineNumber = 0;
  readonly #order: TimeOrder;

  constructor(private readonly fileName: string, private readonly visit: EventVisitor) {
    this.#order = new TimeOrder(fileName);
  }

  visitLine(bytes: Buffer, start: number, end: number): void {
    const lineNumber = ++this.#lineNumber;
    const event = parseCanonicalEvent(bytes, start, end) ?? parseHistoryLine(bytes.toString('utf8', start, end), this.fileName, lineNumber);
    if (event === null) return;
    this.#order.check(event, lineNumber);
    this.visit(event, lineNumber);
  }
}
