// Each bug mode of the core is caught by the simulation's safety checks: the checks have teeth.
import t from 'tap';
import type { CoreBugModes } from '../../raft/core/types.js';
import { runSimulation } from '../../raft/core/testing/simulation.js';
import { runFigureEight } from './figure-eight-scenario.js';

const maxSeeds = 300;

function firstCaughtSeed(bug: keyof CoreBugModes): { seed: number; violation: string } | null {
  for (let seed = 1; seed <= maxSeeds; seed += 1) {
    const result = runSimulation({ seed, size: seed % 2 === 1 ? 3 : 5, steps: 2000, faultRate: 3, bugs: { [bug]: true } });
    if (result.violation !== null) return { seed, violation: result.violation };
  }
  return null;
}

const expectations: Array<[keyof CoreBugModes, RegExp]> = [
  ['staleReads', /stale or invented read/],
  ['ackBeforeCommit', /acknowledged|cas mismatch/],
  ['doubleVote', /election safety/],
];

for (const [bug, anomaly] of expectations) {
  t.test(`the ${bug} bug mode is caught by a seeded run`, async (t) => {
    const caught = firstCaughtSeed(bug);
    t.ok(caught !== null, `caught within ${maxSeeds} seeds`);
    if (caught === null) return;
    t.match(caught.violation, anomaly, `seed ${caught.seed}: ${caught.violation}`);
  });
}

t.test('the commitOldTermByCounting bug mode is caught in the figure 8 schedule', async (t) => {
  // Random schedules rarely line up figure 8's crashes; this one does, deterministically.
  const outcome = runFigureEight({ commitOldTermByCounting: true });
  t.match(outcome.cluster.checker.violations[0], /leader completeness|state machine safety/);
});
