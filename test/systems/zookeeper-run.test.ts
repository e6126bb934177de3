// `harness run kill-leader --system zookeeper-sync` end to end on the local platform: a real
// ensemble started, its leader killed, the history recorded and checked, everything torn down;
// and `harness systems` naming zookeeper and its variant. Skipped where ZooKeeper is not
// installed. The variant with `sync` before every read is the one expected to pass every check:
// plain ZooKeeper reads are only sequentially consistent, and the linearizability check does
// catch a stale one now and then (a read served by a server that had not yet applied a delete
// acknowledged a millisecond earlier), which is ZooKeeper's documented behaviour, not a fault.

import { existsSync } from 'node:fs';
import t from 'tap';
import { javaBinary, zookeeperJar } from '../../harness/systems/zookeeper/zookeeper-launch.js';
import { runHarness } from '../cli/harness-cli.js';
import { assertCleanPass, runScenarioOn } from './third-party-run.js';

const missing = [javaBinary, zookeeperJar].filter((path) => !existsSync(path));
const skip = missing.length === 0 ? false : `no ${missing.join(', ')}: apt-get install zookeeper`;

t.test('`harness systems` lists zookeeper and zookeeper-sync', { skip }, async (t) => {
  const result = await runHarness(['systems']);
  t.equal(result.exitCode, 0);
  t.match(result.stdout, /^zookeeper: ZooKeeper.*local: yes, without membership; docker: yes, without membership; kind: no .*faults needing root: cutLinks, shapeLinks$/m);
  t.match(result.stdout, /^zookeeper-sync \(variant of zookeeper\): /m);
});

t.test('kill-leader on a ZooKeeper ensemble with sync before reads runs, passes every check and leaves no server behind', { skip }, async (t) => {
  const run = await runScenarioOn(t, 'zookeeper-sync', 'kill-leader', 1);
  await assertCleanPass(t, run, 'zookeeper-sync');
});
