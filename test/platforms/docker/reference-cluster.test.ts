// The reference server on the docker platform: three containers elect a leader that answers
// from the host. Needs dist/raft/server/main.js (the reference server, built by `npm run build`).

import t from 'tap';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServerImage, referenceServerEntry } from '../../../harness/server-image/build-server-image.js';
import { connectDocker, dockerAnswers } from '../../../harness/shared/docker-client.js';
import { createDockerPlatform } from '../../../harness/platforms/docker/docker-platform.js';
import { linkFaultsUnavailableReason } from '../../../harness/platforms/docker/link-fault-support.js';
import * as support from './docker-test-support.js';

const docker = connectDocker();
const nodes = ['raft-0', 'raft-1', 'raft-2'];

async function agreedLeader(addresses: string[]): Promise<string | undefined> {
  const answers = await Promise.all(addresses.map((address) => support.requestStatus(address, 2000).catch(() => undefined)));
  const leaders = answers.filter((answer) => answer?.role === 'leader');
  if (leaders.length !== 1) return undefined;
  const leader = leaders[0]!.node as string;
  return answers.every((answer) => answer?.leader === leader) ? leader : undefined;
}

if (!(await dockerAnswers(docker))) {
  t.plan(0, support.noDaemonMessage());
} else if (!existsSync(referenceServerEntry())) {
  t.plan(0, `${referenceServerEntry()} is not built: build the reference server (npm run build) to run this test`);
} else {
  t.test('three reference servers elect one leader, reachable from the host', async (t) => {
    const workDir = await mkdtemp(join(tmpdir(), 'raft-chaos-docker-'));
    const buildStartedAtMs = Date.now();
    const image = await buildServerImage({ docker });
    t.comment(`image ${image.tag}: ${(image.sizeBytes / 1_000_000).toFixed(1)} MB, ${image.built ? 'built' : 'up to date'} in ${Date.now() - buildStartedAtMs} ms`);
    t.ok(image.sizeBytes < 160_000_000, `the reference server image is under 160 MB (${image.sizeBytes} bytes)`);
    const platform = createDockerPlatform({ image: image.tag });
    const startedAtMs = Date.now();
    const cluster = await platform.start({ runId: support.uniqueRunId('reference'), nodes, serverEnv: {}, workDir, restartDelayMs: 500 });
    t.teardown(async () => {
      await cluster.collectLogs(join(workDir, 'logs')).catch(() => undefined);
      await cluster.teardown();
      await rm(workDir, { recursive: true, force: true });
    });
    const addresses = nodes.map((node) => cluster.clientAddress(node));
    const leader = await support.eventually('one leader all nodes agree on', 60_000, () => agreedLeader(addresses));
    t.comment(`3 reference nodes to an agreed leader in ${Date.now() - startedAtMs} ms (image ready)`);
    t.ok(nodes.includes(leader), `leader ${leader}`);
    const status = await support.requestStatus(cluster.clientAddress(leader), 5000);
    t.equal(status.role, 'leader');

    t.test('isolating the leader by iptables elects another among the majority, and heal reunites them', { skip: linkFaultsUnavailableReason() ?? false }, async (t) => {
      const others = nodes.filter((node) => node !== leader);
      const isolation = others.flatMap((node) => [{ from: leader, to: node }, { from: node, to: leader }]);
      await cluster.cutLinks(isolation);
      const otherAddresses = others.map((node) => cluster.clientAddress(node));
      const successor = await support.eventually('a new leader among the majority', 60_000, () => agreedLeader(otherAddresses));
      t.not(successor, leader, `with ${leader} isolated by iptables, ${successor} leads the majority`);
      await cluster.healAll();
      const healed = await support.eventually('one leader after heal', 60_000, () => agreedLeader(addresses));
      t.ok(nodes.includes(healed), `after heal all three agree on ${healed}`);
    });
  });
}
