// Deterministic simulation: many seeded runs of 3- and 5-node clusters under message loss,
// delay, reordering, duplication, partitions, crashes and restarts, with random client writes
// and reads; every safety property is checked after every step.
//
// Replay one seed:   RAFT_SIM_SEED=123 npx tap dist/test/raft-core/simulation.test.js
// More runs:         RAFT_SIM_RUNS=2000 npx tap dist/test/raft-core/simulation.test.js
import t from 'tap';
import { runSimulation, type SimulationResult } from '../../raft/core/testing/simulation.js';

const stepsPerRun = 4000;
const runs = Number(process.env['RAFT_SIM_RUNS'] ?? 200);
const onlySeed = process.env['RAFT_SIM_SEED'];

function simulate(seed: number, digestEffects = false): SimulationResult {
  return runSimulation({ seed, size: seed % 2 === 1 ? 3 : 5, steps: stepsPerRun, digestEffects });
}

function failureReport(result: SimulationResult): string {
  return [
    `seed ${result.seed}: ${result.violation} (at step ${result.failedAtStep})`,
    `replay: RAFT_SIM_SEED=${result.seed} npx tap dist/test/raft-core/simulation.test.js`,
    'last events:',
    ...result.trace,
  ].join('\n');
}

t.test('every safety property holds in every seeded run', async (t) => {
  const seeds = onlySeed === undefined ? Array.from({ length: runs }, (_, position) => position + 1) : [Number(onlySeed)];
  const totals = { writesAcknowledged: 0, readsAnswered: 0, crashes: 0, partitions: 0, snapshotsInstalled: 0, highestCommitIndex: 0 };
  const failures: string[] = [];
  for (const seed of seeds) {
    const result = simulate(seed);
    for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += result.stats[key];
    if (result.violation !== null) failures.push(failureReport(result));
  }
  if (failures.length > 0) t.comment(failures.slice(0, 3).join('\n\n'));
  t.same(failures.map((failure) => failure.split('\n')[0]), [], `${seeds.length} runs of ${stepsPerRun} steps without a violation`);
  t.comment(`totals over ${seeds.length} runs: ${JSON.stringify(totals)}`);
  if (onlySeed !== undefined) return;
  t.ok(totals.writesAcknowledged > runs * 5, 'writes were acknowledged');
  t.ok(totals.readsAnswered > runs * 5, 'reads were answered');
  t.ok(totals.crashes > runs / 2 && totals.partitions > runs / 2, 'crashes and partitions happened');
  t.ok(totals.snapshotsInstalled > 0, 'snapshots were installed');
});

t.test('a run is a function of its seed', async (t) => {
  const first = simulate(7, true);
  const second = simulate(7, true);
  t.equal(first.digest, second.digest, 'the same effects in the same order');
  t.not(first.digest, simulate(8, true).digest, 'another seed, another run');
});
