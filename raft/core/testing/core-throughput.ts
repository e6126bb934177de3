// How cheap step() is: three cores wired directly (no checker, no storage model), a leader
// taking client writes in bursts, every message delivered in order. Prints steps per second
// and microseconds of core time per committed write.
//   node dist/raft/core/testing/core-throughput.js [writes] [burst]
import { createRaftCore, type RaftCore } from '../raft-core.js';
import type { CoreConfig, Effect, RaftMessage } from '../types.js';
import { createSeededRandom } from './seeded-random.js';
import { defaultSimConfig, noBugs } from './sim-cluster.js';

const writes = Number(process.argv[2] ?? 200_000);
const burst = Number(process.argv[3] ?? 50);
const ids = ['n1', 'n2', 'n3'];
const random = createSeededRandom(1);
const cores = new Map<string, RaftCore>(
  ids.map((id) => {
    const config: CoreConfig = { ...defaultSimConfig, snapshotThresholdEntries: 10_000, bugs: noBugs, id, peers: ids, random: () => random.next() };
    return [id, createRaftCore(config, { hardState: { term: 0, votedFor: null }, snapshot: null, entries: [] })];
  }),
);
const queue: RaftMessage[] = [];
let steps = 0;
let replies = 0;

function run(id: string, input: Parameters<RaftCore['step']>[0]): void {
  const effects: Effect[] = cores.get(id)!.step(input);
  steps += 1;
  for (const effect of effects) {
    if (effect.type === 'send') queue.push(effect.message);
    else if (effect.type === 'reply') replies += 1;
  }
}

function drain(): void {
  for (let position = 0; position < queue.length; position += 1) run(queue[position]!.to, { type: 'message', message: queue[position]! });
  queue.length = 0;
}

while (cores.get('n1')!.status().role !== 'leader') {
  run('n1', { type: 'tick' });
  drain();
}
const started = process.hrtime.bigint();
let ref = 0;
while (ref < writes) {
  for (let count = 0; count < burst && ref < writes; count += 1) {
    ref += 1;
    run('n1', { type: 'request', ref, request: { id: ref, op: 'put', key: `k${ref % 1000}`, value: `v${ref}` } });
  }
  drain();
  if (ref % (burst * 20) === 0) run('n1', { type: 'tick' });
}
drain();
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
console.log(
  JSON.stringify({
    writes,
    burst,
    replies,
    steps,
    elapsedMs: Math.round(elapsedMs),
    stepsPerSecond: Math.round(steps / (elapsedMs / 1000)),
    coreMicrosecondsPerWrite: Number(((elapsedMs * 1000) / writes).toFixed(2)),
    commitIndex: cores.get('n1')!.status().commitIndex,
  }),
);
