// The child process of check-in-child-process.ts: receives one RecordedRun, checks it, sends the
// result back and exits. It ends at once when its parent goes away (the IPC channel closes):
// with SIGKILL rather than process.exit, which waits for libuv's thread pool, so a read that never
// returns (a history on a pipe or a hung mount) would keep the process alive.

import { checkRecordedHistory, type RecordedRun } from './check-recorded-history.js';
import type { CheckChildReply } from './check-in-child-process.js';

let replied = false;
process.on('disconnect', () => {
  if (!replied) process.kill(process.pid, 'SIGKILL');
});
process.once('message', (run: RecordedRun) => {
  checkRecordedHistory(run).then(
    (result) => reply({ result }),
    (error: Error) => reply({ error: error.message }),
  );
});

function reply(message: CheckChildReply): void {
  replied = true;
  process.send?.(message, () => process.disconnect());
}
