// sweep() (`harness clean`, `harness cluster down --platform docker`) removes what an
// interrupted run left behind, and only the docker platform's labelled objects.

import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDocker, dockerAnswers } from '../../../harness/platforms/docker/docker-client.js';
import { createDockerPlatform } from '../../../harness/platforms/docker/docker-platform.js';
import * as support from './docker-test-support.js';

const docker = connectDocker();

if (!(await dockerAnswers(docker))) {
  t.plan(0, support.noDaemonMessage());
} else {
  t.test('sweep removes an abandoned run and leaves other objects alone', async (t) => {
    const runId = support.uniqueRunId('sweep');
    const workDir = await mkdtemp(join(tmpdir(), 'raft-chaos-docker-'));
    const unlabelled = `raft-chaos-unlabelled-${process.pid}`;
    const otherPlatform = `raft-chaos-kind-like-${process.pid}`;
    await docker.createVolume({ Name: unlabelled });
    await docker.createVolume({ Name: otherPlatform, Labels: { 'app.kubernetes.io/part-of': 'raft-chaos', 'raft-chaos.platform': 'kind' } });
    const platform = createDockerPlatform({ serverEntry: support.placeholderEntry() });
    const abandoned = await platform.start({ runId, nodes: ['raft-0', 'raft-1'], serverEnv: {}, workDir, restartDelayMs: 100 });
    t.teardown(async () => {
      await abandoned.teardown();
      for (const name of [unlabelled, otherPlatform]) await docker.getVolume(name).remove().catch(() => undefined);
      await rm(workDir, { recursive: true, force: true });
    });
    t.equal((await support.labelledObjects(docker, runId)).length, 5, 'two containers, a network and two volumes exist');

    const removed = await platform.sweep();
    t.ok(removed.includes(`container raft-chaos-${runId}-raft-0`), 'reports the containers it removed');
    t.ok(removed.includes(`network raft-chaos-${runId}`), 'reports the network');
    t.same(await support.labelledObjects(docker, runId), [], 'nothing of the run is left');
    await t.resolves(docker.getVolume(unlabelled).inspect(), 'an unlabelled volume is kept');
    await t.resolves(docker.getVolume(otherPlatform).inspect(), 'another platform\'s volume is kept');
    t.same(await platform.sweep(), [], 'a second sweep finds nothing');
  });
}
