// `harness run … --system etcd --platform docker`: an etcd image built offline from
// /usr/bin/etcd, one member per container reached by its network alias, a partition and a slow
// link enforced in the containers' network namespaces; nothing left behind. The container's
// command line is a pure function of the system's launch.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { connectDocker, dockerAnswers } from '../../../harness/platforms/docker/docker-client.js';
import { linkFaultsUnavailableReason } from '../../../harness/platforms/docker/link-fault-support.js';
import { systemContainerLaunch } from '../../../harness/platforms/docker/system-container-launch.js';
import { etcdBinaryPath } from '../../../harness/systems/etcd/etcd-launch.js';
import { etcdSystem } from '../../../harness/systems/etcd/etcd-system.js';
import { runHarness } from '../../cli/harness-cli.js';
import * as support from './docker-test-support.js';

t.test('an etcd container listens on 0.0.0.0 and advertises its network alias', async (t) => {
  const launch = systemContainerLaunch(etcdSystem, 'raft-1', ['raft-0', 'raft-1', 'raft-2'], {});
  t.equal(launch.command[0], etcdBinaryPath);
  t.ok(launch.command.includes('--listen-peer-urls=http://0.0.0.0:7001'));
  t.ok(launch.command.includes('--advertise-client-urls=http://raft-1:7000'));
  t.ok(launch.command.includes('--initial-cluster=raft-0=http://raft-0:7001,raft-1=http://raft-1:7001,raft-2=http://raft-2:7001'));
  t.ok(launch.command.includes('--data-dir=/data'));
});

const docker = connectDocker();
const skip = !existsSync(etcdBinaryPath)
  ? `${etcdBinaryPath} is missing: apt-get install etcd-server`
  : !(await dockerAnswers(docker))
    ? support.noDaemonMessage()
    : linkFaultsUnavailableReason();

t.test('a partition and slow links of etcd on docker pass every check and leave nothing behind', { skip: skip ?? false }, async (t) => {
  const reports = await mkdtemp(path.join(tmpdir(), 'raft-chaos-etcd-docker-'));
  t.teardown(() => rm(reports, { recursive: true, force: true }));
  const result = await runHarness(
    ['run', 'partition-majority-minority', 'slow-links', '--system', 'etcd', '--platform', 'docker', '--seed', '5', '--duration-scale', '0.3', '--reports', reports],
    { timeoutMs: 400_000 },
  );
  t.equal(result.exitCode, 0, result.stdout + result.stderr);
  t.match(result.stdout, /image: etcd from \/usr\/bin\/etcd/);
  const runIds = [...result.stdout.matchAll(/cluster: network raft-chaos-(\S+) \(gateway/g)].map((match) => match[1]!);
  t.equal(runIds.length, 2, 'one docker network per scenario');
  for (const runId of runIds) t.same(await support.labelledObjects(docker, runId), [], `${runId}: no container, network or volume left`);
});
