// One line of a node log as the reference server writes it: a JSON object, or anything else
// (a platform marker line, a stack trace), which the log checkers skip. Pure.

export function parseLogRecord(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON record of a log, with its 1-based line number. */
export interface NumberedRecord {
  record: Record<string, unknown>;
  line: number;
}

/** Every JSON record of a log whose `event` is one of `events`, in log order. */
export function recordsOf(logText: string, events: ReadonlySet<string>): NumberedRecord[] {
  const found: NumberedRecord[] = [];
  const lines = logText.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const record = parseLogRecord(lines[index]!);
    if (record !== undefined && events.has(record.event as string)) found.push({ record, line: index + 1 });
  }
  return found;
}
