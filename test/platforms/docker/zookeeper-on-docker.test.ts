// `harness run … --system zookeeper-sync --platform docker`: a ZooKeeper image built offline from
// java, its JRE and the jars of this machine (FROM scratch), zoo.cfg and myid put into each
// container before every start (a replaced container included), kill-leader recorded and
// checked, nothing left behind. The configuration is a pure function of the system's launch.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { connectDocker, dockerAnswers } from '../../../harness/shared/docker-client.js';
import { systemContainerLaunch } from '../../../harness/platforms/docker/system-container-launch.js';
import { javaBinary, zookeeperJar } from '../../../harness/systems/zookeeper/zookeeper-launch.js';
import { zookeeperSyncSystem } from '../../../harness/systems/zookeeper/zookeeper-system.js';
import { runHarness } from '../../cli/harness-cli.js';
import * as support from './docker-test-support.js';

t.test('a ZooKeeper container listens on every address and names the others by alias', async (t) => {
  const launch = systemContainerLaunch(zookeeperSyncSystem, 'raft-1', ['raft-0', 'raft-1', 'raft-2'], {});
  t.equal(launch.command[0], javaBinary);
  t.equal(launch.command.at(-1), '/data/zoo.cfg');
  t.equal(launch.files.myid, '2\n');
  const configuration = launch.files['zoo.cfg'] ?? '';
  t.match(configuration, /^clientPortAddress=0\.0\.0\.0$/m);
  t.match(configuration, /^quorumListenOnAllIPs=true$/m);
  t.match(configuration, /^server\.1=raft-0:7001:7002$/m);
  t.match(configuration, /^dataDir=\/data$/m);
});

const docker = connectDocker();
const missing = [javaBinary, zookeeperJar].filter((file) => !existsSync(file));
const skip = missing.length > 0 ? `${missing.join(', ')} missing: apt-get install zookeeper` : !(await dockerAnswers(docker)) ? support.noDaemonMessage() : undefined;

t.test('kill-leader on ZooKeeper on docker passes every check and leaves nothing behind', { skip: skip ?? false }, async (t) => {
  const reports = await mkdtemp(path.join(tmpdir(), 'raft-chaos-zookeeper-docker-'));
  t.teardown(() => rm(reports, { recursive: true, force: true }));
  const result = await runHarness(['run', 'kill-leader', '--system', 'zookeeper-sync', '--platform', 'docker', '--seed', '1', '--duration-scale', '0.3', '--reports', reports], { timeoutMs: 400_000 });
  t.equal(result.exitCode, 0, result.stdout + result.stderr);
  t.match(result.stdout, /image: zookeeper-sync from \/usr\/bin\/java and \d+ libraries and \d+ more files/);
  t.match(result.stdout, /replaced by container/, 'the killed leader came back in a new container, configured again');
  const runId = /cluster: network raft-chaos-(\S+) \(gateway/.exec(result.stdout)?.[1];
  t.ok(runId, 'the run names its network');
  t.same(await support.labelledObjects(docker, runId!), [], 'no container, network or volume left');
});
