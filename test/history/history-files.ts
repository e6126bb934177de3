// Test helpers: history files in a temporary directory removed at the end of the test, the whole
// file parsed at once (the reference the streamed reading is compared with), and the message of
// the MalformedHistoryError a reading throws.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEvent } from '../../harness/history/history-event.js';
import { MalformedHistoryError } from '../../harness/history/malformed-history-error.js';
import { parseHistoryLines } from '../../harness/history/parse-history.js';

/** Every event of the file and its line number, from the whole text at once. */
export async function readHistoryFile(path: string): Promise<{ events: HistoryEvent[]; lines: number[] }> {
  return parseHistoryLines(readFileSync(path, 'utf8'), path);
}

/** A function writing `text` to a fresh file, all removed at teardown. */
export function temporaryHistoryFiles(t: { teardown(fn: () => void): void }): (text: string) => string {
  const directory = mkdtempSync(join(tmpdir(), 'raft-chaos-history-files-'));
  t.teardown(() => rmSync(directory, { recursive: true, force: true }));
  let files = 0;
  return (text) => {
    const path = join(directory, `history-${files++}.jsonl`);
    writeFileSync(path, text);
    return path;
  };
}

/** The message of the MalformedHistoryError `run` throws, or 'no error'. */
export async function malformedMessage(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof MalformedHistoryError) return error.message;
    throw error;
  }
  return 'no error';
}
