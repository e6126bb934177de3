// The pure rules behind link shaping.

import t from 'tap';
import { deliveryTimeMs, splitLines, survivesDrop, validateShape } from '../../../harness/platforms/local/link-shaping.js';
import { LinkTable } from '../../../harness/platforms/local/link-table.js';

t.test('splitLines keeps whole lines and carries the rest', async (t) => {
  const first = splitLines(Buffer.alloc(0), Buffer.from('{"a":1}\n{"b":'));
  t.same(first.lines.map(String), ['{"a":1}\n']);
  t.equal(String(first.rest), '{"b":');
  const second = splitLines(first.rest, Buffer.from('2}\n\n'));
  t.same(second.lines.map(String), ['{"b":2}\n', '\n']);
  t.equal(second.rest.length, 0);
});

t.test('delivery never overtakes the chunk before it', async (t) => {
  const shape = { delayMs: 100, jitterMs: 50, dropRate: 0 };
  t.equal(deliveryTimeMs(1000, 0, shape, () => 0), 1100, 'delay without jitter');
  t.equal(deliveryTimeMs(1000, 0, shape, () => 1), 1150, 'delay plus the whole jitter');
  t.equal(deliveryTimeMs(1000, 1149, shape, () => 0), 1149, 'waits for the earlier chunk');
  t.equal(deliveryTimeMs(1000, 0, undefined, () => 1), 1000, 'an unshaped link adds nothing');
});

t.test('drops follow the rate', async (t) => {
  t.equal(survivesDrop(0, () => 0), true);
  t.equal(survivesDrop(1, () => 0.999), false);
  t.equal(survivesDrop(0.5, () => 0.4), false);
  t.equal(survivesDrop(0.5, () => 0.6), true);
});

t.test('invalid shapes and links are rejected with the field named', async (t) => {
  t.throws(() => validateShape({ delayMs: -1, jitterMs: 0, dropRate: 2 }), /delayMs: .* got -1; dropRate: .* got 2/);
  const table = new LinkTable(['a', 'b']);
  t.throws(() => table.replaceCuts([{ from: 'a', to: 'c' }]), /unknown node "c"; the cluster's nodes are a, b/);
  t.throws(() => table.replaceCuts([{ from: 'a', to: 'a' }]), /joins a node to itself/);
});

t.test('replacing cuts reports what was cut and what healed', async (t) => {
  const table = new LinkTable(['a', 'b', 'c']);
  t.same(table.replaceCuts([{ from: 'a', to: 'b' }]), { newlyCut: [{ from: 'a', to: 'b' }], healed: [] });
  t.same(table.replaceCuts([{ from: 'a', to: 'c' }]), { newlyCut: [{ from: 'a', to: 'c' }], healed: [{ from: 'a', to: 'b' }] });
  t.equal(table.isCut({ from: 'a', to: 'c' }), true);
  t.equal(table.isCut({ from: 'c', to: 'a' }), false, 'a directed link');
  t.same(table.healAll(), [{ from: 'a', to: 'c' }]);
});
