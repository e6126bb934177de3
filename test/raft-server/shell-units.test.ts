import t from 'tap';
import type { AppendEntries, Effect, LogEntry, RaftMessage } from '../../raft/core/types.js';
import { coalesceMessages } from '../../raft/server/coalesce-messages.js';
import { EffectBatcher } from '../../raft/server/effect-batcher.js';
import { FirstLineReader } from '../../raft/server/first-line-reader.js';

function entry(index: number, term = 2): LogEntry {
  return { index, term, command: { kind: 'noop' } };
}

function append(to: string, prevLogIndex: number, entries: LogEntry[], readRound = 1, leaderCommit = 0): AppendEntries {
  return { type: 'AppendEntries', from: 'raft-0', to, term: 2, prevLogIndex, prevLogTerm: 2, entries, leaderCommit, readRound };
}

/** An EffectBatcher whose effects are recorded in `order`; each persist waits for `releasePersist()`. */
function recordingBatcher(order: string[], onPersist: (effects: Effect[]) => void, persisted: (index: number, term: number) => void = () => undefined) {
  let release: () => void = () => undefined;
  const batcher = new EffectBatcher({
    persist: async (effects) => {
      onPersist(effects);
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    send: (lines) => order.push(`send ${[...lines.keys()].join(',')}`),
    reply: (replies) => order.push(`reply ${replies.map((item) => item.ref).join(',')}`),
    log: () => undefined,
    fatal: (error) => order.push(`fatal ${error.message}`),
    persisted,
    beforeBatch: () => undefined,
  }, 512);
  return { batcher, releasePersist: () => release() };
}

t.test('consecutive AppendEntries that continue each other are merged per peer', async (t) => {
  const messages: RaftMessage[] = [
    append('raft-1', 10, [entry(11)], 1, 9),
    append('raft-2', 10, [entry(11)]),
    append('raft-1', 11, [entry(12)], 2, 10),
    append('raft-1', 12, [entry(13)], 3, 10),
  ];
  const merged = coalesceMessages(messages, 512);
  t.equal(merged.length, 2);
  const toFirst = merged[0] as AppendEntries;
  t.same(toFirst.entries.map((item) => item.index), [11, 12, 13]);
  t.same([toFirst.prevLogIndex, toFirst.leaderCommit, toFirst.readRound], [10, 10, 3]);
});

t.test('messages that do not continue, or other types in between, are kept apart and in order', async (t) => {
  const vote: RaftMessage = { type: 'RequestVoteReply', from: 'raft-0', to: 'raft-1', term: 2, voteGranted: true };
  const messages: RaftMessage[] = [append('raft-1', 10, [entry(11)]), append('raft-1', 20, [entry(21)]), vote, append('raft-1', 21, [entry(22)])];
  const merged = coalesceMessages(messages, 512);
  t.same(merged.map((message) => message.type), ['AppendEntries', 'AppendEntries', 'RequestVoteReply', 'AppendEntries']);
  t.same(coalesceMessages([append('raft-1', 10, [entry(11)]), append('raft-1', 11, [entry(12)])], 1).length, 2, 'the entry limit holds');
});

t.test('the first line tells peers from clients and hands every byte on', async (t) => {
  const peer = new FirstLineReader();
  t.same(peer.push(Buffer.from('{"peer":"ra')), { kind: 'pending' });
  const result = peer.push(Buffer.from('ft-2"}\n{"type":"AppendEntries"}\n'));
  t.equal(result.kind, 'peer');
  if (result.kind === 'peer') {
    t.equal(result.peer, 'raft-2');
    t.equal(result.rest.toString(), '{"type":"AppendEntries"}\n');
  }
  const client = new FirstLineReader().push(Buffer.from('{"id":1,"op":"status"}\n'));
  t.same(client.kind === 'client' && client.bytes.toString(), '{"id":1,"op":"status"}\n');
});

t.test('effects run in order: persist (awaited, once per batch), then sends, then replies', async (t) => {
  const order: string[] = [];
  let persistCalls = 0;
  const { batcher, releasePersist } = recordingBatcher(order, (effects) => {
    persistCalls += 1;
    order.push(`persist ${effects.length}`);
  });
  const first: Effect[] = [
    { type: 'reply', ref: 1, response: { id: 1, ok: true } },
    { type: 'send', message: append('raft-1', 0, [entry(1)]) },
    { type: 'appendEntries', entries: [entry(1)] },
  ];
  batcher.add(first);
  batcher.add([{ type: 'persistState', state: { term: 2, votedFor: 'raft-0' } }]);
  await new Promise((resolve) => setImmediate(resolve));
  t.same(order, ['persist 2'], 'one persist for both steps of the turn; nothing sent or replied before it is durable');
  batcher.add([{ type: 'reply', ref: 2, response: { id: 2, ok: true } }]);
  releasePersist();
  await batcher.whenIdle();
  t.same(order, ['persist 2', 'send raft-1', 'reply 1', 'reply 2']);
  t.equal(persistCalls, 1);
});

t.test('a leader appending in parallel: its AppendEntries go out before the fsync, the rest after, `persisted` names the last entry after its sends and replies', async (t) => {
  const order: string[] = [];
  const { batcher, releasePersist } = recordingBatcher(order, () => order.push('persist'), (index, term) => order.push(`persisted ${index}@${term}`));
  batcher.add([
    { type: 'appendEntries', entries: [entry(1), entry(2)] },
    { type: 'send', message: append('raft-1', 0, [entry(1), entry(2)]), beforeDurable: true },
    { type: 'send', message: append('raft-2', 0, [entry(1), entry(2)]) },
    { type: 'reply', ref: 7, response: { id: 7, ok: true } },
  ]);
  await new Promise((resolve) => setImmediate(resolve));
  t.same(order, ['send raft-1', 'persist'], 'only the message marked beforeDurable left before the fsync');
  releasePersist();
  await batcher.whenIdle();
  t.same(order, ['send raft-1', 'persist', 'send raft-2', 'reply 7', `persisted 2@${entry(2).term}`], 'the batch\'s own sends and replies do not wait for the persisted step');
});

t.test('a lone step is carried out in the event-loop turn it was taken in: no batch window, no timer', async (t) => {
  const order: string[] = [];
  const batcher = new EffectBatcher({
    persist: async (effects) => {
      order.push(`persist ${effects.length}`);
    },
    send: (lines) => order.push(`send ${[...lines.keys()].join(',')}`),
    reply: (replies) => order.push(`reply ${replies.map((item) => item.ref).join(',')}`),
    log: () => undefined,
    fatal: (error) => order.push(`fatal ${error.message}`),
    persisted: (index) => order.push(`persisted ${index}`),
    beforeBatch: () => undefined,
  }, 512);
  // A follower's one AppendEntries: append, then acknowledge.
  batcher.add([
    { type: 'appendEntries', entries: [entry(4)] },
    { type: 'send', message: { type: 'AppendEntriesReply', from: 'raft-1', to: 'raft-0', term: 2, success: true, matchIndex: 4, conflictTerm: null, conflictIndex: 0, readRound: 1 } },
  ]);
  t.same(order, [], 'nothing happens inside add: steps of the same turn can still join the batch');
  await new Promise((resolve) => setImmediate(resolve));
  t.same(order, ['persist 1', 'send raft-0', 'persisted 4'], 'persisted, acknowledged and reported by the next check phase, without a timer');
});

t.test('steps that persist nothing, queued before the next persisting step, go out before its fsync', async (t) => {
  const order: string[] = [];
  let releasePersist: () => void = () => undefined;
  let heldSteps = 0;
  const batcher: EffectBatcher = new EffectBatcher({
    persist: async (effects) => {
      order.push(`persist ${effects.map((effect) => effect.type).join(',')}`);
      await new Promise<void>((resolve) => {
        releasePersist = resolve;
      });
    },
    send: (lines) => order.push(`send ${[...lines.keys()].join(',')}`),
    reply: (replies) => order.push(`reply ${replies.map((item) => item.ref).join(',')}`),
    log: () => undefined,
    fatal: (error) => order.push(`fatal ${error.message}`),
    persisted: () => undefined,
    beforeBatch: () => {
      if (heldSteps === 0) return;
      heldSteps = 0;
      batcher.add([{ type: 'appendEntries', entries: [entry(3)] }, { type: 'send', message: append('raft-2', 2, [entry(3)]) }]);
    },
  }, 512);
  batcher.add([{ type: 'appendEntries', entries: [entry(2)] }]);
  await new Promise((resolve) => setImmediate(resolve));
  t.same(order, ['persist appendEntries'], 'the first batch is persisting');
  batcher.add([{ type: 'reply', ref: 7, response: { id: 7, ok: true } }]);
  heldSteps = 1;
  batcher.requestBatch();
  releasePersist();
  await until(() => order.length >= 3);
  t.same(order, ['persist appendEntries', 'reply 7', 'persist appendEntries'], 'the acknowledgement went out before the held step was persisted');
  releasePersist();
  await batcher.whenIdle();
  t.same(order.at(-1), 'send raft-2', "the held step's send waits for its own fsync");
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

t.test('a step added while a batch is being formed never starts a second persist beside it', async (t) => {
  let inFlight = 0;
  let mostInFlight = 0;
  const releases: (() => void)[] = [];
  const persisted: number[] = [];
  let held: number[] = [];
  let nextIndex = 2;
  const batcher: EffectBatcher = new EffectBatcher({
    persist: async (effects) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      for (const effect of effects) if (effect.type === 'appendEntries') persisted.push(...effect.entries.map((item) => item.index));
      // A client request arrives while this batch is persisting: the server holds it back.
      if (nextIndex <= 5) {
        held.push(nextIndex++);
        batcher.requestBatch();
      }
      await new Promise<void>((resolve) => releases.push(resolve));
      inFlight -= 1;
    },
    send: () => undefined,
    reply: () => undefined,
    log: () => undefined,
    fatal: (error) => t.fail(error.message),
    persisted: () => undefined,
    beforeBatch: () => {
      const steps = held;
      held = [];
      for (const index of steps) batcher.add([{ type: 'appendEntries', entries: [entry(index)] }]);
    },
  }, 512);
  batcher.add([{ type: 'appendEntries', entries: [entry(1)] }]);
  for (let turn = 0; turn < 200 && persisted.length < 5; turn += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    if (turn % 4 === 3) releases.shift()?.();
  }
  for (const release of releases.splice(0)) release();
  await batcher.whenIdle();
  t.same(persisted, [1, 2, 3, 4, 5], 'every held step was persisted, in order');
  t.equal(mostInFlight, 1, 'persist calls never overlap, so log writes land in the order they were made');
});
