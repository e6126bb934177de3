// `harness run all --platform docker`: every shipped scenario passes with the reference server
// image, except power-loss, which the docker platform cannot inject and skips with its reason, and
// the membership scenarios while the docker platform lacks the capability membership.

import t from 'tap';
import { connectDocker, dockerAnswers } from '../../../harness/shared/docker-client.js';
import { linkFaultsUnavailableReason } from '../../../harness/platforms/docker/link-fault-support.js';
import { dockerCapabilities } from '../../../harness/platforms/docker/docker-platform.js';
import { runAllShipped, scenariosInAll } from '../../cli/run-all-kit.js';
import * as support from './docker-test-support.js';

const docker = connectDocker();

if (!(await dockerAnswers(docker))) {
  t.plan(0, support.noDaemonMessage());
} else if (linkFaultsUnavailableReason() !== undefined) {
  t.plan(0, `the docker link faults cannot run here: ${linkFaultsUnavailableReason()}`);
} else {
  t.test('every shipped scenario passes on docker; power-loss is skipped with its reason', async (t) => {
    const membership = dockerCapabilities().has('membership') ? [] : ['remove-leader', 'replace-wiped-node', 'scale-up-and-down'];
    const skips = [{ scenario: 'power-loss', reason: 'needs powerLoss, which the docker platform lacks' }, ...membership.map((scenario) => ({ scenario, reason: 'needs membership, which the docker platform lacks' }))];
    const result = await runAllShipped(t, 'docker', skips, 900_000);
    const runIds = [...result.stdout.matchAll(/cluster: network raft-chaos-(\S+) \(gateway/g)].map((match) => match[1]!);
    const skipped = new Set(skips.map((skip) => skip.scenario));
    const ran = (await scenariosInAll()).filter((name) => !skipped.has(name));
    t.equal(runIds.length, ran.length, 'one docker network per scenario run');
    for (const runId of runIds) t.same(await support.labelledObjects(docker, runId), [], `${runId}: no container, network or volume left`);
  });
}
