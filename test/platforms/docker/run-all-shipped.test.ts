// `harness run all --platform docker`: every shipped scenario passes with the reference server
// image, except power-loss, which the docker platform cannot inject and skips with its reason.

import t from 'tap';
import { connectDocker, dockerAnswers } from '../../../harness/shared/docker-client.js';
import { linkFaultsUnavailableReason } from '../../../harness/platforms/docker/link-fault-support.js';
import { runAllShipped, scenariosInAll } from '../../cli/run-all-kit.js';
import * as support from './docker-test-support.js';

const docker = connectDocker();

if (!(await dockerAnswers(docker))) {
  t.plan(0, support.noDaemonMessage());
} else if (linkFaultsUnavailableReason() !== undefined) {
  t.plan(0, `the docker link faults cannot run here: ${linkFaultsUnavailableReason()}`);
} else {
  t.test('every shipped scenario passes on docker; power-loss is skipped with its reason', async (t) => {
    const result = await runAllShipped(t, 'docker', [{ scenario: 'power-loss', reason: 'needs powerLoss, which the docker platform lacks' }], 900_000);
    const runIds = [...result.stdout.matchAll(/cluster: network raft-chaos-(\S+) \(gateway/g)].map((match) => match[1]!);
    const ran = (await scenariosInAll()).filter((name) => name !== 'power-loss');
    t.equal(runIds.length, ran.length, 'one docker network per scenario run');
    for (const runId of runIds) t.same(await support.labelledObjects(docker, runId), [], `${runId}: no container, network or volume left`);
  });
}
