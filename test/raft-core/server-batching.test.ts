// The server shell merges consecutive AppendEntries to the same follower within one batch
// (raft/server/coalesce-messages.ts). The core must stay safe and live with that.
import t from 'tap';
import { coalesceMessages } from '../../raft/server/coalesce-messages.js';
import { runSimulation } from '../../raft/core/testing/simulation.js';

t.test("seeded runs stay safe when each step's messages are coalesced as the server does", async (t) => {
  const failures: string[] = [];
  let writesAcknowledged = 0;
  for (let seed = 1; seed <= 40; seed += 1) {
    const result = runSimulation({ seed, size: seed % 2 === 1 ? 3 : 5, steps: 3000, transformSends: coalesceMessages });
    writesAcknowledged += result.stats.writesAcknowledged;
    if (result.violation !== null) failures.push(`seed ${result.seed}: ${result.violation}`);
  }
  t.same(failures, []);
  t.ok(writesAcknowledged > 200, `${writesAcknowledged} writes acknowledged`);
});
