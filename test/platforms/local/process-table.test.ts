// Reading /proc: stat lines with awkward command names, process groups, environments.

import t from 'tap';
import {
  groupMembers,
  isProcessAlive,
  parseProcessStat,
  readEnvironmentVariable,
  readProcess,
} from '../../../harness/shared/process-table.js';

t.test('parseProcessStat survives spaces and parentheses in the command name', async (t) => {
  const fields = Array.from({ length: 50 }, (_, index) => String(index + 3));
  fields[0] = 'T';
  fields[2] = '4242';
  fields[19] = '987654';
  const entry = parseProcessStat(`1234 (my (odd) cmd) ${fields.join(' ')}`);
  t.same(entry, { pid: 1234, state: 'T', processGroupId: 4242, startTime: 987654 });
  t.equal(parseProcessStat('garbage'), undefined);
});

t.test('this process: its group, its start time, its environment', async (t) => {
  const self = await readProcess(process.pid);
  t.ok(self, 'found in /proc');
  t.ok((await groupMembers(self?.processGroupId ?? -1)).some((entry) => entry.pid === process.pid));
  t.equal(await isProcessAlive(process.pid, self?.startTime ?? -1), true);
  t.equal(await isProcessAlive(process.pid, (self?.startTime ?? 0) + 1), false, 'a different start time is another process');
  t.equal(await readEnvironmentVariable(process.pid, 'PATH'), process.env.PATH);
  t.equal(await readEnvironmentVariable(process.pid, 'RAFT_CHAOS_NO_SUCH_VARIABLE'), undefined);
});
