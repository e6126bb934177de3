// The unsafeMembershipChanges bug mode (two membership changes in flight at once, and changes
// before a new leader has committed an entry of its term) breaks safety, and the simulation's
// checker catches it; the same runs without the bug mode find nothing.
import t from 'tap';
import { runSimulation, type SimulationOptions } from '../../raft/core/testing/simulation.js';

const maxSeeds = 500;

function options(seed: number, unsafe: boolean): SimulationOptions {
  const bugs = unsafe ? { unsafeMembershipChanges: true } : {};
  return { seed, size: seed % 2 === 1 ? 3 : 5, steps: 2000, quietSteps: 20_000, faultRate: 3, membership: true, membershipRate: 3, bugs };
}

t.test('a seeded run with unsafe membership changes violates safety', async (t) => {
  let caught: { seed: number; violation: string } | null = null;
  for (let seed = 1; seed <= maxSeeds && caught === null; seed += 1) {
    const result = runSimulation(options(seed, true));
    // A cluster whose majorities no longer overlap may also stop making progress; look for a safety violation.
    if (result.violation !== null && !result.violation.startsWith('liveness')) caught = { seed, violation: result.violation };
  }
  t.ok(caught !== null, `caught within ${maxSeeds} seeds`);
  if (caught === null) return;
  t.match(caught.violation, /election safety|leader completeness|state machine safety|acknowledged write lost|log matching/, `seed ${caught.seed}: ${caught.violation}`);
  t.equal(runSimulation(options(caught.seed, false)).violation, null, `seed ${caught.seed} without the bug mode is safe`);
});
