// The `raft-chaos.owner` label: which harness process started a run, and whether it is alive.

import t from 'tap';
import { execa } from 'execa';
import { hostname } from 'node:os';
import { currentOwner, formatOwner, ownerIsAlive, parseOwner } from '../../../harness/platforms/docker/harness-owner.js';

t.test('an owner value round-trips; anything else is not an owner', async (t) => {
  const owner = { host: 'ci-runner-3.example', pid: 4242, startTime: 987654 };
  t.same(parseOwner(formatOwner(owner)), owner);
  t.equal(parseOwner(undefined), undefined);
  t.equal(parseOwner('4242'), undefined);
  t.equal(parseOwner('host/pid/start'), undefined);
});

t.test('this process is alive; an exited one, a reused pid, another host or no label are not', async (t) => {
  const own = await currentOwner();
  t.equal(parseOwner(own)?.pid, process.pid);
  t.equal(await ownerIsAlive(own), true, 'the current process');
  const child = await execa(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  t.equal(await ownerIsAlive(formatOwner({ host: hostname(), pid: Number(child.stdout), startTime: 0 })), false, 'a process that exited');
  const ownStartTime = parseOwner(own)!.startTime;
  t.equal(await ownerIsAlive(formatOwner({ host: hostname(), pid: process.pid, startTime: ownStartTime + 1 })), false, 'the same pid with another start time');
  t.equal(await ownerIsAlive(formatOwner({ host: `${hostname()}-elsewhere`, pid: process.pid, startTime: ownStartTime })), false, 'a process on another host');
  t.equal(await ownerIsAlive(undefined), false, 'a run without the label');
});
