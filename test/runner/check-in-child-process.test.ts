import t from 'tap';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { checkRecordedHistoryInChild } from '../../harness/runner/check-in-child-process.js';
import { checkRecordedHistory } from '../../harness/runner/check-recorded-history.js';
import { isProcessAlive } from '../../harness/shared/is-process-alive.js';

const childModule = fileURLToPath(new URL('../../harness/runner/check-recorded-history-process.js', import.meta.url));

function scenarioDirectory(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'raft-chaos-child-check-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** k is written a then b; the second read returns a after b was acknowledged: a stale read. */
function writeStaleReadHistory(dir: string): string {
  const path = join(dir, 'history.jsonl');
  writeFileSync(path, [
    { type: 'invoke', process: 0, f: 'write', key: 'k', value: 'a', time: 1_000 },
    { type: 'ok', process: 0, f: 'write', key: 'k', value: 'a', time: 2_000 },
    { type: 'invoke', process: 0, f: 'write', key: 'k', value: 'b', time: 3_000 },
    { type: 'ok', process: 0, f: 'write', key: 'k', value: 'b', time: 4_000 },
    { type: 'invoke', process: 1, f: 'read', key: 'k', value: null, time: 5_000 },
    { type: 'ok', process: 1, f: 'read', key: 'k', value: 'a', time: 6_000 },
  ].map((event) => JSON.stringify(event)).join('\n') + '\n');
  return path;
}

t.test('the check in a child process gives the same verdicts, evidence and page as in the run process', async (t) => {
  const inChildDir = scenarioDirectory(t);
  const inProcessDir = scenarioDirectory(t);
  const run = (dir: string) => ({ historyPath: writeStaleReadHistory(dir), facts: { faultWindows: [] }, logPaths: [], scenarioDir: dir, title: 'stale read' });
  const inChild = await checkRecordedHistoryInChild(run(inChildDir));
  const inProcess = await checkRecordedHistory(run(inProcessDir));
  t.equal(inChild.verdicts.find((verdict) => verdict.check === 'linearizable')?.valid, false, 'the stale read is found');
  t.same(inChild.verdicts, inProcess.verdicts);
  t.equal(inChild.htmlPath, join(inChildDir, 'history.html'));
  t.equal(readFileSync(inChild.htmlPath!, 'utf8').replaceAll(inChildDir, ''), readFileSync(inProcess.htmlPath!, 'utf8').replaceAll(inProcessDir, ''));
});

t.test('a check that fails in the child is an unknown verdict that says how to check again', async (t) => {
  const dir = join(scenarioDirectory(t), 'no-such-directory');
  const checked = await checkRecordedHistoryInChild({ historyPath: join(dir, 'history.jsonl'), facts: { faultWindows: [] }, logPaths: [], scenarioDir: dir, title: 'missing' });
  t.equal(checked.verdicts.length, 1);
  t.equal(checked.verdicts[0]?.valid, 'unknown');
  t.match(checked.verdicts[0]?.summary, /could not be checked: .*ENOENT.*check it again with `npx harness check .*history\.jsonl --logs/);
});

t.test('the child ends when the run process is killed in the middle of a check, so a check never outlives its run', async (t) => {
  // The history is a named pipe that this test holds open and writes one line to: the child's
  // check reads it and waits for more for ever. A stand-in run process starts the child, hands it
  // that run, and is killed with SIGKILL: it cannot clean up.
  const dir = scenarioDirectory(t);
  const historyPath = join(dir, 'history.jsonl');
  execFileSync('mkfifo', [historyPath]);
  const writer = openSync(historyPath, constants.O_RDWR);
  t.teardown(() => closeSync(writer));
  writeSync(writer, `${JSON.stringify({ type: 'invoke', process: 0, f: 'write', key: 'k', value: 'a', time: 1_000 })}\n`);
  const run = { historyPath, facts: { faultWindows: [] }, logPaths: [], scenarioDir: dir, title: 'never ends' };
  const parent = spawn(process.execPath, ['--input-type=module', '-e', `
    import { fork } from 'node:child_process';
    const child = fork(${JSON.stringify(childModule)}, [], { execArgv: [], detached: true, serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    child.send(${JSON.stringify(run)}, () => console.log(child.pid));
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [firstOutput] = (await once(parent.stdout!, 'data')) as [Buffer];
  const childPid = Number(firstOutput.toString().trim());
  t.ok(Number.isInteger(childPid) && childPid > 0, `the child started (pid ${childPid})`);
  t.teardown(() => {
    if (isProcessAlive(childPid)) process.kill(childPid, 'SIGKILL');
  });
  await waitFor(() => existsSync(join(dir, 'facts.json')), 'the child to start checking (it writes facts.json first)');
  t.ok(isProcessAlive(childPid), 'the child is checking while the parent lives');
  parent.kill('SIGKILL');
  await once(parent, 'exit');
  await waitFor(() => !isProcessAlive(childPid), 'the child to exit after its parent').catch(() => undefined);
  t.notOk(isProcessAlive(childPid), 'the child exited within 10 s of its parent');
});

/** Polls `condition` (a process that is not our child gives no event to await) for up to 10 s. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after 10 s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
