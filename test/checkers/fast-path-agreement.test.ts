// Randomized cross-check: the zone fast path and the full check must agree with the exhaustive
// WGL search on small histories, in both directions, and every piece of evidence must on its own
// be non-linearizable.

import t from 'tap';
import { checkByZones } from '../../harness/checkers/check-by-zones.js';
import { checkRegister } from '../../harness/checkers/check-register.js';
import { toRegisterOperations, type RegisterOperation } from '../../harness/checkers/register-operation.js';
import { searchLinearization } from '../../harness/checkers/search-linearization.js';
import { generateHistory } from '../../harness/history/generate-history.js';
import { mulberry32 } from '../../raft/core/mulberry32.js';
import { pairOperations } from '../../harness/history/pair-operations.js';

interface Tally {
  zonesValid: number;
  zonesInvalid: number;
  searchOnly: number;
}

/** A small random register history, sometimes mutated so it is likely not linearizable. */
function randomRegister(seed: number): RegisterOperation[] {
  const random = mulberry32(seed * 7919);
  const withDeletes = random() < 0.3;
  const events = generateHistory({
    seed,
    operations: 4 + Math.floor(random() * 11),
    keys: 1,
    clients: 2 + Math.floor(random() * 3),
    infoRate: random() < 0.5 ? 0.15 : 0,
    mix: withDeletes ? { read: 0.45, write: 0.25, cas: 0.15, delete: 0.15 } : { read: 0.5, write: 0.3, cas: 0.2, delete: 0 },
    latencyNs: [1, 40],
    thinkNs: [0, 15],
  });
  const operations = toRegisterOperations(pairOperations(events));
  if (random() < 0.6) mutate(operations, random);
  return operations;
}

function mutate(operations: RegisterOperation[], random: () => number): void {
  const values = [null, ...operations.filter((operation) => operation.kind === 'write' || operation.kind === 'cas').map((operation) => operation.value)];
  const reads = operations.filter((operation) => operation.kind === 'read');
  const roll = random();
  if (roll < 0.6 && reads.length > 0) {
    reads[Math.floor(random() * reads.length)]!.value = values[Math.floor(random() * values.length)]!;
  } else if (roll < 0.8) {
    const cas = operations.filter((operation) => operation.kind === 'cas');
    if (cas.length > 0) cas[Math.floor(random() * cas.length)]!.from = values[Math.floor(random() * values.length)]!;
  } else {
    const writes = operations.filter((operation) => operation.kind === 'write');
    if (writes.length > 1) writes[0]!.value = writes[1]!.value; // a duplicate value: only the search applies
  }
}

t.test('zone fast path agrees with the WGL search on random small histories', async (t) => {
  const tally: Tally = { zonesValid: 0, zonesInvalid: 0, searchOnly: 0 };
  const disagreements: string[] = [];
  for (let seed = 1; seed <= 3000; seed++) {
    const operations = randomRegister(seed);
    const exhaustive = searchLinearization(operations);
    const zones = checkByZones(operations);
    if (zones.result === 'not-applicable') {
      tally.searchOnly++;
      continue;
    }
    if (zones.result === 'linearizable') tally.zonesValid++;
    else tally.zonesInvalid++;
    if ((zones.result === 'linearizable') !== (exhaustive === 'linearizable')) disagreements.push(`seed ${seed}: zones ${zones.result}, search ${exhaustive}`);
  }
  t.same(disagreements, [], 'no disagreement');
  t.ok(tally.zonesValid > 300, `fast path said linearizable ${tally.zonesValid} times`);
  t.ok(tally.zonesInvalid > 300, `fast path said not linearizable ${tally.zonesInvalid} times`);
  t.ok(tally.searchOnly > 100, `fast path did not apply ${tally.searchOnly} times`);
});

t.test('every verdict of the full check matches the search, and its evidence alone is not linearizable', async (t) => {
  let invalid = 0;
  const problems: string[] = [];
  for (let seed = 5001; seed <= 6500; seed++) {
    const operations = randomRegister(seed);
    const exhaustive = searchLinearization(operations);
    const result = checkRegister(operations);
    const verdict = result.outcome === 'not-linearizable' ? 'not-linearizable' : result.outcome === 'linearizable' ? 'linearizable' : 'exceeded';
    if (verdict !== exhaustive) problems.push(`seed ${seed}: check ${verdict}, search ${exhaustive}`);
    if (result.outcome !== 'not-linearizable') continue;
    invalid++;
    const evidence = operations.filter((operation) => result.evidenceIds.includes(operation.id));
    if (searchLinearization(evidence) !== 'not-linearizable') problems.push(`seed ${seed}: evidence ${result.evidenceIds.join(',')} is linearizable on its own`);
    if (evidence.length > operations.length) problems.push(`seed ${seed}: evidence larger than the history`);
  }
  t.same(problems, []);
  t.ok(invalid > 200, `${invalid} anomalies cross-checked`);
});
