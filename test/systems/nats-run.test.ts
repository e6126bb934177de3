// `harness run kill-leader --system nats` end to end on the local platform: a real NATS
// cluster started, its stream leader killed, the history recorded and checked, everything torn
// down; and `harness systems` naming nats. Skipped where nats-server is not installed.

import { existsSync } from 'node:fs';
import t from 'tap';
import { natsServerBinary } from '../../harness/systems/nats/nats-launch.js';
import { runHarness } from '../cli/harness-cli.js';
import { assertCleanPass, runScenarioOn } from './third-party-run.js';

const skip = existsSync(natsServerBinary) ? false : `no ${natsServerBinary}: apt-get install nats-server`;

t.test('`harness systems` lists nats, without a nats-sync variant', { skip }, async (t) => {
  const result = await runHarness(['systems']);
  t.equal(result.exitCode, 0);
  t.match(result.stdout, /^nats: NATS JetStream.*binary found at \/usr\/sbin\/nats-server; local: yes, without membership; docker: yes, without membership; kind: no .*faults needing root: cutLinks, shapeLinks$/m);
  t.notMatch(result.stdout, /^nats-sync/m);
});

t.test('kill-leader on a NATS cluster runs, passes every check and leaves no server behind', { skip }, async (t) => {
  const run = await runScenarioOn(t, 'nats', 'kill-leader', 1);
  await assertCleanPass(t, run, 'nats');
});
