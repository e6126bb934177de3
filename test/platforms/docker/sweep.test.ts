// sweep() (`harness clean`, `harness cluster down --platform docker`) removes what an
// interrupted run left behind — the runs whose harness process is gone — and only the docker
// platform's labelled objects; a run whose harness is still going is kept.

import t from 'tap';
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectDocker, dockerAnswers } from '../../../harness/shared/docker-client.js';
import { ownerLabel } from '../../../harness/platforms/docker/docker-labels.js';
import { createDockerPlatform } from '../../../harness/platforms/docker/docker-platform.js';
import { parseOwner } from '../../../harness/platforms/docker/harness-owner.js';
import { removeLabelled } from '../../../harness/platforms/docker/remove-labelled.js';
import * as support from './docker-test-support.js';

const docker = connectDocker();
const ownedRunProgram = fileURLToPath(new URL('./fixtures/start-owned-run.js', import.meta.url));

/** Starts a run from a separate harness process and SIGKILLs that process: an interrupted run. */
async function abandonRun(runId: string): Promise<void> {
  const harness = execa(process.execPath, [ownedRunProgram, runId], { timeout: 120_000, reject: false });
  let output = '';
  harness.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.includes(`started ${runId}`)) harness.kill('SIGKILL');
  });
  const result = await harness;
  if (!output.includes(`started ${runId}`)) throw new Error(`the run-starting process exited before starting ${runId}: ${result.stderr}`);
  // Its work directory is abandoned too, as after a SIGKILLed harness: `harness clean` finds it by
  // its owner file; the test removes it itself so that it leaves nothing behind either way.
  const workDir = / in (\S+)/.exec(output)?.[1];
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
}

if (!(await dockerAnswers(docker))) {
  t.plan(0, support.noDaemonMessage());
} else {
  t.test('sweep removes an abandoned run and leaves live runs and other objects alone', async (t) => {
    const abandonedRunId = support.uniqueRunId('sweep-abandoned');
    const liveRunId = support.uniqueRunId('sweep-live');
    const workDir = await mkdtemp(join(tmpdir(), 'raft-chaos-docker-'));
    const unlabelled = `raft-chaos-unlabelled-${process.pid}`;
    const otherPlatform = `raft-chaos-kind-like-${process.pid}`;
    await docker.createVolume({ Name: unlabelled });
    await docker.createVolume({ Name: otherPlatform, Labels: { 'app.kubernetes.io/part-of': 'raft-chaos', 'raft-chaos.platform': 'kind' } });
    const platform = createDockerPlatform({ serverEntry: support.placeholderEntry() });
    const live = await platform.start({ runId: liveRunId, nodes: ['raft-0', 'raft-1'], serverEnv: {}, workDir, restartDelayMs: 100 });
    t.teardown(async () => {
      await live.teardown();
      await removeLabelled(docker, abandonedRunId).catch(() => undefined);
      for (const name of [unlabelled, otherPlatform]) await docker.getVolume(name).remove().catch(() => undefined);
      await rm(workDir, { recursive: true, force: true });
    });
    await abandonRun(abandonedRunId);
    t.equal((await support.labelledObjects(docker, abandonedRunId)).length, 5, 'the abandoned run left two containers, a network and two volumes');
    const [liveContainer] = await docker.listContainers({ filters: JSON.stringify({ label: [`raft-chaos.run=${liveRunId}`] }) });
    t.equal(parseOwner(liveContainer?.Labels[ownerLabel])?.pid, process.pid, 'the live run is labelled with its harness process');

    const removed = await platform.sweep();
    t.ok(removed.includes(`container raft-chaos-${abandonedRunId}-raft-0`), 'reports the containers it removed');
    t.ok(removed.includes(`network raft-chaos-${abandonedRunId}`), 'reports the network');
    t.same(await support.labelledObjects(docker, abandonedRunId), [], 'nothing of the abandoned run is left');
    t.equal((await support.labelledObjects(docker, liveRunId)).length, 5, 'the run whose harness is alive is kept whole');
    t.notOk(removed.some((line) => line.includes(liveRunId)), 'and not reported as removed');
    await t.resolves(docker.getVolume(unlabelled).inspect(), 'an unlabelled volume is kept');
    await t.resolves(docker.getVolume(otherPlatform).inspect(), 'another platform\'s volume is kept');
    t.notOk((await platform.sweep()).some((line) => line.includes(abandonedRunId) || line.includes(liveRunId)), 'a second sweep finds nothing of these runs');
  });
}
