// Test helpers: history files in a temporary directory removed at the end of the test, and the
// message of the MalformedHistoryError a reading throws.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MalformedHistoryError } from '../../harness/history/malformed-history-error.js';

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
