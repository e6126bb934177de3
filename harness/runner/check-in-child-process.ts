// Runs checkRecordedHistory in a child process of its own. A run's process keeps what 30
// minutes of recording left in its heap and allocator; checking there put the check's peak on
// top of it (a 30-minute soak peaked at 503 MiB in one process, its check alone at 295 MiB).
// In a fresh process the check's memory is its own and is returned to the system when it ends.
//
// The child is detached, so a Ctrl-C sent to the terminal's process group does not stop the
// check of an interrupted run (the runner checks the partial history), and it exits as soon as
// its parent is gone (the IPC channel closes, even after `kill -9`), so it is never left behind.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Verdict } from '../checkers/verdict.js';
import type { RecordedHistoryCheck, RecordedRun } from './check-recorded-history.js';

export type CheckChildReply = { result: RecordedHistoryCheck } | { error: string };

const childModule = fileURLToPath(new URL('./check-recorded-history-process.js', import.meta.url));

export function checkRecordedHistoryInChild(run: RecordedRun): Promise<RecordedHistoryCheck> {
  return new Promise((resolve) => {
    let reply: CheckChildReply | undefined;
    const child = fork(childModule, [], { detached: true, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (message: CheckChildReply) => {
      reply = message;
    });
    child.on('error', (error) => {
      reply ??= { error: `the check process could not start: ${error.message}` };
    });
    child.on('close', (code, signal) => {
      if (reply !== undefined && 'result' in reply) resolve(reply.result);
      else resolve({ verdicts: [failedCheckVerdict(run, reply?.error ?? `the check process ended (${signal ?? `exit code ${code}`}) without a result`)] });
    });
    child.send(run);
  });
}

function failedCheckVerdict(run: RecordedRun, reason: string): Verdict {
  return {
    check: 'history',
    valid: 'unknown',
    summary: `the history could not be checked: ${reason}; check it again with \`npx harness check ${run.historyPath} --logs ${run.scenarioDir}/logs\``,
    evidence: { history: run.historyPath },
  };
}
