import t from 'tap';
import type { Test } from 'tap';
import type { HistoryEvent } from '../../harness/history/history-event.js';
import { createSeededRandom } from '../../harness/shared/seeded-random.js';
import type { WorkloadPlan } from '../../harness/scenario/plan.js';
import { startWorkload } from '../../harness/workload/start-workload.js';
import { FakeRaftClient, type Script } from './fake-raft-client.js';
import { createMemoryRecorder } from './memory-history-recorder.js';

const plan: WorkloadPlan = {
  clients: 3,
  keys: 2,
  opsPerKey: 12,
  infoPerKey: 2,
  ratePerSecond: 0,
  mix: { read: 0.4, write: 0.3, cas: 0.2, delete: 0.1 },
  requestTimeoutMs: 500,
};

async function run(script: Script, completions: number, drainTimeoutMs = 2000) {
  const recorder = createMemoryRecorder();
  const store = new Map<string, string>();
  const clients: FakeRaftClient[] = [];
  const workload = startWorkload({
    plan,
    createClient: () => {
      const client = new FakeRaftClient(store, script);
      clients.push(client);
      return client;
    },
    recorder,
    random: createSeededRandom(11),
    progress: () => undefined,
    drainTimeoutMs,
  });
  await recorder.completions(completions, 20_000);
  const summary = await workload.stop();
  return { events: recorder.events, summary, clients };
}

/** Checks SPEC section 3's process rules; returns the completions by invoke. */
function checkProcessRules(t: Test, events: HistoryEvent[]) {
  const open = new Map<number, HistoryEvent>();
  const retired = new Set<number>();
  for (const event of events) {
    if (event.type === 'invoke') {
      t.notOk(open.has(event.process), `process ${event.process} has one operation in flight`);
      t.notOk(retired.has(event.process), `process ${event.process} never invokes after an info`);
      open.set(event.process, event);
    } else {
      const invoke = open.get(event.process);
      t.ok(invoke, `completion of process ${event.process} has an invoke`);
      t.equal(event.f, invoke?.f);
      t.equal(event.key, invoke?.key);
      open.delete(event.process);
      if (event.type === 'info') retired.add(event.process);
    }
  }
  t.equal(open.size, 0, 'every invoke is completed after stop');
}

t.test('definite failures are fail, indefinite are info, and an info retires its process', async (t) => {
  const script: Script = (call) => (call % 7 === 0 ? 'timeout' : call % 5 === 0 ? 'not_leader' : 'normal');
  const { events, summary, clients } = await run(script, 150);
  checkProcessRules(t, events);
  const failures = events.filter((event) => event.type === 'fail');
  const infos = events.filter((event) => event.type === 'info');
  t.ok(failures.some((event) => event.error === 'not_leader'), 'not_leader recorded as fail');
  t.ok(failures.every((event) => event.error === 'not_leader' || event.error === 'cas_mismatch'), 'only definite errors are fail');
  t.ok(infos.length > 0 && infos.every((event) => event.error === 'timeout'), 'timeouts recorded as info');
  t.ok(summary.nextProcess > plan.clients, 'fresh process numbers were used after infos');
  t.equal(summary.counts.ok + summary.counts.fail + summary.counts.info, summary.counts.invoked);
  t.ok(clients.every((client) => client.closed), 'every client is closed on stop');
});

t.test('written values are unique and keys rotate', async (t) => {
  const { events, summary } = await run(() => 'normal', 120);
  checkProcessRules(t, events);
  const written = events.filter((event) => event.type === 'invoke' && event.f === 'write').map((event) => event.value);
  const casTargets = events.filter((event) => event.type === 'invoke' && event.f === 'cas').map((event) => (event.value as [string | null, string])[1]);
  const all = [...written, ...casTargets];
  t.equal(new Set(all).size, all.length, 'no value is written twice');
  const keys = new Set(events.map((event) => event.key));
  t.ok(keys.size > plan.keys, `keys moved on (${keys.size} keys used)`);
  for (const key of keys) {
    const completed = events.filter((event) => event.key === key && event.type !== 'invoke').length;
    t.ok(completed <= plan.opsPerKey + plan.clients, `${key}: ${completed} operations, at most opsPerKey plus those in flight at retirement`);
  }
  t.ok(summary.keysWritten.length > 0);
  const successfulCas = events.filter((event) => event.type === 'ok' && event.f === 'cas');
  t.ok(successfulCas.length > 0, 'cas from the last value seen succeeds when nobody interfered');
});

t.test('stop records operations still in flight at the drain deadline as info', async (t) => {
  let hung = false;
  const script: Script = (call) => (call === 4 && !hung ? ((hung = true), 'hang') : 'normal');
  const { events, summary } = await run(script, 30, 200);
  checkProcessRules(t, events);
  const cutOff = events.filter((event) => event.error === 'cut_off');
  t.equal(cutOff.length, 1);
  t.equal(cutOff[0]?.type, 'info');
  t.equal(summary.cutOff, 1);
});

t.test('the rate limit spaces operations', async (t) => {
  const recorder = createMemoryRecorder();
  const store = new Map<string, string>();
  const startMs = performance.now();
  const workload = startWorkload({
    plan: { ...plan, ratePerSecond: 100 },
    createClient: () => new FakeRaftClient(store),
    recorder,
    random: createSeededRandom(3),
    progress: () => undefined,
    drainTimeoutMs: 1000,
  });
  await recorder.completions(20, 20_000);
  const elapsedMs = performance.now() - startMs;
  await workload.stop();
  t.ok(elapsedMs >= 150, `20 operations at 100/s took ${Math.round(elapsedMs)} ms, at least 150`);
});

t.test('a new client generation (a node moved) replaces each worker client between operations', async (t) => {
  const recorder = createMemoryRecorder();
  const store = new Map<string, string>();
  const clients: FakeRaftClient[] = [];
  let generation = 'ports-1';
  const workload = startWorkload({
    plan,
    createClient: () => {
      const client = new FakeRaftClient(store);
      clients.push(client);
      return client;
    },
    clientGeneration: () => generation,
    recorder,
    random: createSeededRandom(4),
    progress: () => undefined,
    drainTimeoutMs: 1000,
  });
  await recorder.completions(20, 20_000);
  t.equal(clients.length, plan.clients, 'one client per worker at first');
  generation = 'ports-2';
  await recorder.completions(60, 20_000);
  await workload.stop();
  t.equal(clients.length, 2 * plan.clients, 'every worker built a new client');
  t.ok(clients.slice(0, plan.clients).every((client) => client.closed), 'the old clients are closed');
  t.ok(clients.slice(plan.clients).every((client) => client.calls > 0), 'the new clients carry the operations');
});
