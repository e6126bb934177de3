// Start, teardown, kill, stop/start, pause/resume and crashes of a fixture-node cluster.

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { createLocalPlatform } from '../../../harness/platforms/local/create-local-platform.js';
import type { LocalCluster } from '../../../harness/platforms/local/local-cluster.js';
import { loopDisksUnavailableReason } from '../../../harness/platforms/local/loop-disk-support.js';
import { recordPath } from '../../../harness/platforms/local/run-record.js';
import { markedProcessGroups } from '../../../harness/platforms/local/sweep-local-runs.js';
import { eventually, fixtureCommand, fixtureSpec, liveMembers, makeDirs, refusesConnections, request } from './local-test-kit.js';

async function pidOf(cluster: LocalCluster, node: string): Promise<number> {
  return Number((await cluster.identity(node)).instance);
}

t.test('start launches every node; teardown leaves no process and no listening port', async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const platform = createLocalPlatform({ stateDir: dirs.stateDir });
  const progress: string[] = [];
  const spec = fixtureSpec(dirs.workDir, { progress: (message) => progress.push(message) });
  const cluster = await platform.start(spec);
  t.teardown(() => cluster.teardown());
  const powerLoss = loopDisksUnavailableReason() === undefined ? ['powerLoss'] : [];
  t.same(platform.capabilities, new Set(['kill', 'stopStart', 'pause', 'cutLinks', 'shapeLinks', 'readLogs', 'membership', ...powerLoss]));
  t.ok(existsSync(recordPath(dirs.stateDir, spec.runId)), 'the run record exists while the cluster runs');
  const pids = await Promise.all(cluster.nodes.map((node) => pidOf(cluster, node)));
  for (const node of cluster.nodes) {
    const status = await request(cluster.clientAddress(node), { op: 'status' });
    t.equal(status.node, node, `${node} answers status at its client address`);
  }
  const ports = [...cluster.proxyPorts(), ...cluster.nodes.flatMap((node) => Object.values(cluster.nodePorts(node)))];
  t.ok(progress.some((line) => line.includes('starting 3 nodes')), 'progress reports the slow step');
  const collected = await cluster.collectLogs(join(dirs.workDir, 'collected'));
  t.same(collected, cluster.nodes.map((node) => join(dirs.workDir, 'collected', `${node}.log`)));
  t.match(await readFile(collected[1] ?? '', 'utf8'), /"node":"raft-1","msg":"started"/, 'collectLogs copies each log');
  await cluster.teardown();
  await cluster.teardown();
  for (const pid of pids) t.same(await liveMembers(pid), [], `process group ${pid} is gone`);
  for (const port of ports) t.ok(await refusesConnections(port), `nothing listens on port ${port}`);
  t.notOk(existsSync(recordPath(dirs.stateDir, spec.runId)), 'the run record is removed');
  const log = await readFile(cluster.logPath('raft-0'), 'utf8');
  t.match(log, /\[raft-chaos\] .* start: raft-0 client 127\.0\.0\.1:\d+/, 'the log has the harness marker line');
  t.match(log, /"msg":"listening"/, "the log has the node's own output");
});

t.test('kill: the supervisor restarts the node after the delay, same data dir and ports', async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const cluster = await createLocalPlatform({ stateDir: dirs.stateDir }).start(
    fixtureSpec(dirs.workDir, { nodes: ['raft-0', 'raft-1'], restartDelayMs: 300 }),
  );
  t.teardown(() => cluster.teardown());
  const before = await pidOf(cluster, 'raft-0');
  const address = cluster.clientAddress('raft-0');
  const killedAtMs = Date.now();
  await cluster.kill('raft-0');
  t.same(await liveMembers(before), [], 'the killed group is gone when kill returns');
  const status = await eventually('raft-0 answers again', 20_000, async () => {
    const answer = await request(address, { op: 'status' }, 1_000);
    return answer.pid !== before ? answer : undefined;
  });
  t.ok(Date.now() - killedAtMs >= 300, 'not restarted before restartDelayMs');
  t.not(await pidOf(cluster, 'raft-0'), before, 'identity changed');
  t.equal(status.pid, await pidOf(cluster, 'raft-0'), 'identity is the pid of the process that answers');
  t.equal(status.boots, 2, 'the restarted node found its data dir from before');
  t.equal(cluster.clientAddress('raft-0'), address, 'same client address');
  const log = await readFile(cluster.logPath('raft-0'), 'utf8');
  t.equal(log.match(/\[raft-chaos\]/g)?.length, 2, 'two marker lines: start and restart');
  t.match(log, /restart after kill/);
});

t.test('a port taken while the node was down: it restarts on fresh ports, peers follow', async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const cluster = await createLocalPlatform({ stateDir: dirs.stateDir }).start(
    fixtureSpec(dirs.workDir, { nodes: ['raft-0', 'raft-1'], restartDelayMs: 300 }),
  );
  t.teardown(() => cluster.teardown());
  const taken = cluster.nodePorts('raft-0').clientPort;
  await cluster.kill('raft-0');
  const squatter = createServer();
  squatter.listen(taken, '127.0.0.1');
  await once(squatter, 'listening');
  t.teardown(() => squatter.close());
  await eventually('raft-0 answers on a new client port', 20_000, async () => {
    const address = cluster.clientAddress('raft-0');
    if (address.endsWith(`:${taken}`)) return undefined;
    return (await request(address, { op: 'status' }, 1_000)).node === 'raft-0' ? true : undefined;
  });
  t.not(cluster.nodePorts('raft-0').clientPort, taken, 'new client port');
  const ping = await request(cluster.clientAddress('raft-1'), { op: 'ping', to: 'raft-0', timeoutMs: 5_000 }, 10_000);
  t.match(ping, { ok: true }, 'raft-1 still reaches raft-0 through its proxy');
  t.match(await readFile(cluster.logPath('raft-0'), 'utf8'), /EADDRINUSE[\s\S]*on fresh ports/);
  t.same(cluster.unexpectedExits(), [], 'the squatter was not taken for the node, so the taken port is a retry, not a crash');
});

t.test('stop then start; stop escalates to SIGKILL when SIGTERM is ignored', async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const progress: string[] = [];
  const spec = fixtureSpec(dirs.workDir, {
    nodes: ['raft-0'],
    serverEnv: { FIXTURE_IGNORE_SIGTERM: '1' },
    progress: (message) => progress.push(message),
  });
  const cluster = await createLocalPlatform({ stateDir: dirs.stateDir, stopTimeoutMs: 500, teardownGraceMs: 500 }).start(spec);
  t.teardown(() => cluster.teardown());
  const before = await pidOf(cluster, 'raft-0');
  await cluster.stop('raft-0');
  t.same(await liveMembers(before), [], 'stopped: the group is gone');
  t.ok(progress.some((line) => line.includes('after SIGTERM; sending SIGKILL')), 'SIGKILL after the stop deadline');
  t.same(await cluster.identity('raft-0'), { node: 'raft-0', instance: 'not-running' });
  await t.rejects(request(cluster.clientAddress('raft-0'), { op: 'status' }, 1_000), 'a stopped node does not answer');
  await cluster.start('raft-0');
  const status = await request(cluster.clientAddress('raft-0'), { op: 'status' });
  t.not(status.pid, before, 'a new process');
  t.equal(status.boots, 2, 'same data dir');
  await cluster.stop('raft-0');
  await Promise.all([cluster.healAll(), cluster.start('raft-0'), cluster.start('raft-0')]);
  t.equal((await request(cluster.clientAddress('raft-0'), { op: 'status' })).boots, 3, 'healAll starts stopped nodes');
  t.equal((await markedProcessGroups(spec.runId)).length, 1, 'concurrent starts launch one process');
});

t.test('pause: the node stops answering; resume: it answers again', async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const cluster = await createLocalPlatform({ stateDir: dirs.stateDir }).start(fixtureSpec(dirs.workDir, { nodes: ['raft-0'] }));
  t.teardown(() => cluster.teardown());
  const address = cluster.clientAddress('raft-0');
  await cluster.pause('raft-0');
  await t.rejects(request(address, { op: 'status' }, 1_000), /no answer/, 'a paused node times out');
  await cluster.resume('raft-0');
  t.equal((await request(address, { op: 'status' })).node, 'raft-0', 'answers after resume');
  await cluster.pause('raft-0');
  await cluster.healAll();
  t.equal((await request(address, { op: 'status' })).node, 'raft-0', 'healAll resumes paused nodes');
  await cluster.pause('raft-0');
  const pid = await pidOf(cluster, 'raft-0');
  await cluster.teardown();
  t.same(await liveMembers(pid), [], 'teardown kills a paused node');
});

t.test('a wrapper script leaves no orphan on kill or teardown', async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const cluster = await createLocalPlatform({ stateDir: dirs.stateDir }).start(
    fixtureSpec(dirs.workDir, { nodes: ['raft-0'], serverCommand: fixtureCommand({ wrapped: true }), restartDelayMs: 100 }),
  );
  t.teardown(() => cluster.teardown());
  const leader = await pidOf(cluster, 'raft-0');
  const nodePid = Number((await request(cluster.clientAddress('raft-0'), { op: 'status' })).pid);
  t.not(nodePid, leader, 'the node runs under a wrapper shell');
  t.ok((await liveMembers(leader)).includes(nodePid), 'the node is in the wrapper group');
  await cluster.kill('raft-0');
  t.same(await liveMembers(leader), [], 'kill: wrapper and node are gone');
  const second = await eventually('restarted', 20_000, async () => {
    const pid = (await cluster.identity('raft-0')).instance;
    return pid !== 'not-running' && Number(pid) !== leader ? Number(pid) : undefined;
  });
  await eventually('restarted node answers', 20_000, () => request(cluster.clientAddress('raft-0'), { op: 'status' }, 1_000));
  t.ok((await liveMembers(second)).length >= 2, 'the restarted group has the wrapper and the node');
  await cluster.teardown();
  t.same(await liveMembers(second), [], 'teardown: wrapper and node are gone');
});

t.test('an unexpected exit is reported with the last output and restarted', async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const progress: string[] = [];
  const cluster = await createLocalPlatform({ stateDir: dirs.stateDir, maxCrashRestarts: 1 }).start(
    fixtureSpec(dirs.workDir, { nodes: ['raft-0'], restartDelayMs: 100, progress: (message) => progress.push(message) }),
  );
  t.teardown(() => cluster.teardown());
  const first = await pidOf(cluster, 'raft-0');
  await request(cluster.clientAddress('raft-0'), { op: 'crash' });
  const crash = await eventually('a crash is recorded', 20_000, async () => cluster.unexpectedExits()[0]);
  t.equal(crash.pid, first);
  t.equal(crash.exit, 'exit code 3');
  t.ok(crash.lastLines.some((line) => line.includes('crashing on purpose')), 'the last output lines are kept');
  t.equal(crash.logPath, cluster.logPath('raft-0'));
  t.ok(progress.some((line) => line.includes('exited unexpectedly') && line.includes(crash.logPath)));
  const second = await eventually('the node is restarted and answers', 20_000, async () => {
    const status = await request(cluster.clientAddress('raft-0'), { op: 'status' }, 1_000);
    return status.pid !== first ? status : undefined;
  });
  t.equal(second.boots, 2, 'restarted on its data dir');
  await request(cluster.clientAddress('raft-0'), { op: 'crash' });
  await eventually('the supervisor gives up after maxCrashRestarts', 20_000, async () =>
    progress.find((line) => line.includes('not restarting it again')),
  );
  t.equal(cluster.unexpectedExits().length, 2, 'one restart, then it gave up');
  t.same(await cluster.identity('raft-0'), { node: 'raft-0', instance: 'not-running' });
});

t.test('a restart that exits before listening counts as a crash, with its output, and is restarted again', async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const cluster = await createLocalPlatform({ stateDir: dirs.stateDir, maxCrashRestarts: 2 }).start(
    fixtureSpec(dirs.workDir, { nodes: ['raft-0'], restartDelayMs: 100, serverEnv: { FIXTURE_FAIL_BOOT: '2' } }),
  );
  t.teardown(() => cluster.teardown());
  await request(cluster.clientAddress('raft-0'), { op: 'crash' });
  const third = await eventually('the third boot answers', 20_000, async () => {
    const status = await request(cluster.clientAddress('raft-0'), { op: 'status' }, 1_000);
    return status.boots === 3 ? status : undefined;
  });
  t.equal(third.boots, 3);
  const crashes = cluster.unexpectedExits();
  t.equal(crashes.length, 2, 'the crash, and the boot that exited before listening');
  t.equal(crashes[1]?.exit, 'exit code 3');
  t.ok(crashes[1]?.lastLines.some((line) => line.includes('failing boot 2 on purpose')), 'its last output is kept');
});

t.test('a server that cannot start fails start with its output and leaves nothing behind', async (t) => {
  const dirs = await makeDirs();
  t.teardown(dirs.remove);
  const spec = fixtureSpec(dirs.workDir, { nodes: ['raft-0'], serverCommand: 'echo "no such server" >&2; exit 7' });
  const error = await createLocalPlatform({ stateDir: dirs.stateDir }).start(spec).then(
    () => undefined,
    (rejection: Error) => rejection,
  );
  t.match(error?.message, /raft-0 .* exited before listening/);
  t.match(error?.message, /no such server/);
  t.notOk(existsSync(recordPath(dirs.stateDir, spec.runId)), 'no run record left');
});
