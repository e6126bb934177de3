// The docker platform end to end with a placeholder node image: labels and environment, kill
// replacing the container with the data kept, link cuts and shaping that really act on packets,
// pause, stop/start, logs, and a teardown that leaves nothing behind.

import t from 'tap';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDocker, dockerAnswers } from '../../../harness/shared/docker-client.js';
import { dockerLabelFilters } from '../../../harness/platforms/docker/docker-labels.js';
import { createDockerPlatform } from '../../../harness/platforms/docker/docker-platform.js';
import type { DockerStartedCluster } from '../../../harness/platforms/docker/docker-started-cluster.js';
import { linkFaultsUnavailableReason } from '../../../harness/platforms/docker/link-fault-support.js';
import { listPlatformRules } from '../../../harness/platforms/docker/netns-iptables.js';
import { instanceContainerId } from '../../../harness/platforms/docker/node-container.js';
import { peerPort } from '../../../harness/platforms/docker/node-environment.js';
import * as support from './docker-test-support.js';

const docker = connectDocker();
const nodes = ['raft-0', 'raft-1', 'raft-2'];

if (!(await dockerAnswers(docker))) {
  t.plan(0, support.noDaemonMessage());
} else {
  const runId = support.uniqueRunId('cluster');
  const workDir = await mkdtemp(join(tmpdir(), 'raft-chaos-docker-'));
  const progress: string[] = [];
  const platform = createDockerPlatform({ serverEntry: support.placeholderEntry() });
  const startedAtMs = Date.now();
  const cluster = (await platform.start({
    runId,
    nodes,
    serverEnv: { RAFT_EXTRA_SETTING: 'on' },
    workDir,
    restartDelayMs: 300,
    progress: (message) => progress.push(message),
  })) as DockerStartedCluster;
  t.comment(`3 placeholder containers started in ${Date.now() - startedAtMs} ms (image cached)`);
  t.teardown(async () => {
    await cluster.teardown();
    await rm(workDir, { recursive: true, force: true });
  });

  const probe = (from: string, to: string, timeoutMs: number) =>
    support.probeFromNamespace(cluster.serverPid(from)!, cluster.containerAddress(to)!, peerPort, timeoutMs);

  const waitReplaced = (node: string, before: string) =>
    support.eventually(`${node} replaced`, 30_000, async () => {
      const identity = await cluster.identity(node);
      return identity.instance !== before && cluster.serverPid(node) !== undefined ? identity : undefined;
    });

  t.test('each node answers on its 127.0.0.1 port, with the SPEC environment and the labels', async (t) => {
    t.ok(progress.some((line) => line.startsWith('cluster: raft-0 started')), 'progress lines for cluster start');
    const linkCapabilities = linkFaultsUnavailableReason() === undefined ? ['cutLinks', 'shapeLinks'] : [];
    t.same([...platform.capabilities].sort(), ['kill', 'membership', 'pause', 'readLogs', 'stopStart', ...linkCapabilities].sort(), 'capabilities');
    for (const node of nodes) {
      t.match(cluster.clientAddress(node), /^127\.0\.0\.1:\d+$/);
      const status = await support.waitForStatus(cluster.clientAddress(node), 20_000);
      t.equal(status.node, node, `${node} answers as itself`);
    }
    const filters = JSON.stringify(dockerLabelFilters(runId));
    const containers = await docker.listContainers({ all: true, filters });
    t.equal(containers.length, 3, 'three labelled containers');
    t.equal((await docker.listNetworks({ filters })).length, 1, 'one labelled network');
    t.equal((await docker.listVolumes({ filters })).Volumes.length, 3, 'three labelled volumes');
    const info = await docker.getContainer(containers.find((container) => container.Labels['raft-chaos.node'] === 'raft-1')!.Id).inspect();
    t.match(info.Config.Env, ['RAFT_EXTRA_SETTING=on', 'RAFT_ID=raft-1', 'RAFT_LISTEN=0.0.0.0:7000', 'RAFT_PEERS=raft-0=raft-0:7001,raft-1=raft-1:7001,raft-2=raft-2:7001', 'RAFT_DATA_DIR=/data']);
    t.equal(info.Config.Labels['app.kubernetes.io/part-of'], 'raft-chaos');
    t.equal(info.Config.Labels['raft-chaos.run'], runId);
  });

  t.test('kill replaces the container; the data survives on the volume; the address stays', async (t) => {
    const before = await cluster.identity('raft-0');
    const address = cluster.clientAddress('raft-0');
    await cluster.kill('raft-0');
    const after = await waitReplaced('raft-0', before.instance);
    t.not(after.instance, before.instance, 'a new container is the node');
    await t.rejects(docker.getContainer(instanceContainerId(before.instance)).inspect(), 'the killed container is gone');
    t.equal(cluster.clientAddress('raft-0'), address);
    const status = await support.waitForStatus(cluster.clientAddress('raft-0'), 20_000);
    t.equal(status.boots, 2, 'the replacement found the first container\'s data');
  });

  const linkFaults = { skip: linkFaultsUnavailableReason() ?? false };

  t.test('a cut link drops what its sender sends, also after the sender is replaced', linkFaults, async (t) => {
    t.equal((await probe('raft-0', 'raft-1', 5000)).outcome, 'answered', 'connected before the cut');
    await cluster.cutLinks([{ from: 'raft-0', to: 'raft-1' }]);
    t.equal((await probe('raft-0', 'raft-1', 1500)).outcome, 'timeout', 'raft-0 cannot reach raft-1');
    t.equal((await probe('raft-0', 'raft-2', 5000)).outcome, 'answered', 'raft-0 still reaches raft-2');
    const before = await cluster.identity('raft-0');
    await cluster.kill('raft-0');
    await waitReplaced('raft-0', before.instance);
    t.equal((await probe('raft-0', 'raft-1', 1500)).outcome, 'timeout', 'the replaced raft-0 cannot reach raft-1 either');
    await cluster.healAll();
    t.same(cluster.installedRules(), [], 'no rule tracked after heal');
    for (const node of nodes) t.same(await listPlatformRules(cluster.serverPid(node)!), [], `no rule left in ${node}'s namespace`);
    t.equal((await probe('raft-0', 'raft-1', 5000)).outcome, 'answered', 'connected again after heal');
  });

  t.test('shaped links lose and delay packets, and heal restores them', linkFaults, async (t) => {
    await cluster.shapeLinks([{ from: 'raft-0', to: 'raft-2' }], { delayMs: 0, jitterMs: 0, dropRate: 1 });
    t.equal((await probe('raft-0', 'raft-2', 1500)).outcome, 'timeout', 'drop rate 1 loses every packet');
    await cluster.shapeLinks([{ from: 'raft-0', to: 'raft-2' }], { delayMs: 400, jitterMs: 50, dropRate: 0 });
    const delayed = await probe('raft-0', 'raft-2', 10_000);
    t.equal(delayed.outcome, 'answered');
    t.ok((delayed.elapsedMs ?? 0) >= 400, `the request waited at least 400 ms (${delayed.elapsedMs} ms)`);
    await cluster.healAll();
    t.same(cluster.installedRules(), []);
    for (const node of nodes) t.same(await listPlatformRules(cluster.serverPid(node)!), [], `no rule left in ${node}'s namespace`);
    t.equal((await probe('raft-0', 'raft-2', 5000)).outcome, 'answered');
  });

  t.test('a paused node stops answering and answers once resumed', async (t) => {
    await cluster.pause('raft-2');
    await t.rejects(support.requestStatus(cluster.clientAddress('raft-2'), 1500), /no status answer/);
    await cluster.resume('raft-2');
    t.equal((await support.waitForStatus(cluster.clientAddress('raft-2'), 20_000)).node, 'raft-2');
  });

  t.test('stop and start keep the container, its data and its client address; the instance changes', async (t) => {
    const before = await cluster.identity('raft-1');
    const address = cluster.clientAddress('raft-1');
    await cluster.stop('raft-1');
    await t.rejects(support.requestStatus(address, 1500), 'a stopped node does not answer');
    await cluster.start('raft-1');
    t.equal(cluster.clientAddress('raft-1'), address);
    const after = (await cluster.identity('raft-1')).instance;
    t.equal(instanceContainerId(after), instanceContainerId(before.instance), 'the same container');
    t.not(after, before.instance, 'a new start of it: a restart took effect');
    t.equal((await support.waitForStatus(address, 20_000)).boots, 2);
  });

  t.test('collectLogs writes every node\'s output, that of replaced containers included', async (t) => {
    const paths = await cluster.collectLogs(join(workDir, 'logs'));
    t.same(paths.map((path) => path.slice(path.lastIndexOf('/') + 1)), ['raft-0.log', 'raft-1.log', 'raft-2.log']);
    const raft0 = await readFile(join(workDir, 'logs', 'raft-0.log'), 'utf8');
    const containers = linkFaults.skip === false ? 3 : 2;
    t.equal(raft0.match(/placeholder node started/g)?.length, containers, 'the first container and its replacements');
  });

  let bridge = '';
  t.test('the host has iptables rules for the network\'s bridge while the cluster runs', linkFaults, async (t) => {
    const network = (await docker.listNetworks({ filters: JSON.stringify(dockerLabelFilters(runId)) }))[0]!;
    bridge = `br-${network.Id.slice(0, 12)}`;
    t.ok((await support.hostIptablesLinesMentioning(bridge)).length > 0, `the host has rules for ${bridge}`);
  });

  t.test('teardown leaves no labelled object, and is idempotent', async (t) => {
    await cluster.teardown();
    await cluster.teardown();
    t.same(await support.labelledObjects(docker, runId), []);
  });

  t.test('teardown leaves no host iptables rule of the network', linkFaults, async (t) => {
    t.same(await support.hostIptablesLinesMentioning(bridge), [], `no host rule for ${bridge} is left`);
  });
}
