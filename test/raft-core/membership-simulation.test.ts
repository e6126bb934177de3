// Deterministic simulation with membership changes: seeded runs of 3- and 5-node clusters with
// two spare nodes, where clients add and remove members (the leader included) and wipe removed
// nodes before adding them back, under message loss, reordering, duplication, partitions,
// crashes and restarts. Every safety property is checked after every step: one leader per term
// among every node ever started, log matching, leader completeness, state machine safety, and
// every acknowledged write and membership change kept.
//
// Replay one seed:   RAFT_SIM_SEED=123 npx tap dist/test/raft-core/membership-simulation.test.js
// More runs:         RAFT_SIM_RUNS=2000 npx tap dist/test/raft-core/membership-simulation.test.js
import t from 'tap';
import { runSimulation, type SimulationResult } from '../../raft/core/testing/simulation.js';

const stepsPerRun = 4000;
/** Seven nodes and heavy reordering converge more slowly once the faults stop. */
const quietSteps = 20_000;
const runs = Number(process.env['RAFT_SIM_RUNS'] ?? 100);
const onlySeed = process.env['RAFT_SIM_SEED'];

function simulate(seed: number): SimulationResult {
  return runSimulation({ seed, size: seed % 2 === 1 ? 3 : 5, steps: stepsPerRun, quietSteps, membership: true });
}

t.test('every safety property holds while members are added, removed and wiped', async (t) => {
  const seeds = onlySeed === undefined ? Array.from({ length: runs }, (_, position) => position + 1) : [Number(onlySeed)];
  const totals = { writesAcknowledged: 0, readsAnswered: 0, crashes: 0, partitions: 0, membershipChangesAcknowledged: 0, wipes: 0, snapshotsInstalled: 0 };
  const failures: string[] = [];
  for (const seed of seeds) {
    const result = simulate(seed);
    for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += result.stats[key];
    if (result.violation !== null) {
      failures.push([`seed ${seed}: ${result.violation} (at step ${result.failedAtStep})`, `replay: RAFT_SIM_SEED=${seed} npx tap dist/test/raft-core/membership-simulation.test.js`, ...result.trace].join('\n'));
    }
  }
  if (failures.length > 0) t.comment(failures.slice(0, 2).join('\n\n'));
  t.same(failures.map((failure) => failure.split('\n')[0]), [], `${seeds.length} runs of ${stepsPerRun} steps without a violation`);
  t.comment(`totals over ${seeds.length} runs: ${JSON.stringify(totals)}`);
  if (onlySeed !== undefined) return;
  t.ok(totals.membershipChangesAcknowledged > runs, 'membership changes were acknowledged');
  t.ok(totals.wipes > 0, 'removed nodes were wiped and added back');
  t.ok(totals.writesAcknowledged > runs * 5 && totals.readsAnswered > runs * 5, 'writes and reads were answered');
  t.ok(totals.crashes > runs / 2 && totals.partitions > runs / 2, 'crashes and partitions happened');
});

t.test('a membership run is a function of its seed', async (t) => {
  const options = { seed: 11, size: 3, steps: 2000, quietSteps, membership: true, digestEffects: true };
  t.equal(runSimulation(options).digest, runSimulation(options).digest);
});
