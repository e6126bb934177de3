import t from 'tap';
import { completeGrudge, linksTouching, splitFromRest } from '../../harness/faults/complete-grudge.js';
import type { Link } from '../../harness/platform/platform.js';

const nodes = ['raft-0', 'raft-1', 'raft-2', 'raft-3', 'raft-4'];
const text = (links: Link[]) => links.map((link) => `${link.from}>${link.to}`).sort();

t.test('two groups: every link across, both directions, none inside', async (t) => {
  const links = completeGrudge([['raft-0', 'raft-1'], ['raft-2', 'raft-3', 'raft-4']]);
  t.equal(links.length, 2 * 3 * 2);
  t.ok(text(links).includes('raft-0>raft-2'));
  t.ok(text(links).includes('raft-4>raft-1'));
  t.notOk(text(links).includes('raft-0>raft-1'), 'nodes in one group still talk');
  t.notOk(text(links).includes('raft-2>raft-3'));
});

t.test('three groups cut every pair of groups', async (t) => {
  const links = completeGrudge([['raft-0'], ['raft-1'], ['raft-2', 'raft-3', 'raft-4']]);
  t.same(text(links).filter((link) => link.startsWith('raft-0>')), ['raft-0>raft-1', 'raft-0>raft-2', 'raft-0>raft-3', 'raft-0>raft-4']);
  t.equal(links.length, 1 * 4 + 1 * 4 + 3 * 2);
});

t.test('a single group or empty groups cut nothing', async (t) => {
  t.same(completeGrudge([nodes]), []);
  t.same(completeGrudge([[], nodes]), []);
});

t.test('overlapping groups are rejected', async (t) => {
  t.throws(() => completeGrudge([['raft-0', 'raft-1'], ['raft-1']]), /raft-1 is in more than one group/);
});

t.test('split from rest and links touching', async (t) => {
  t.same(splitFromRest(['raft-3'], nodes), [['raft-3'], ['raft-0', 'raft-1', 'raft-2', 'raft-4']]);
  const touching = text(linksTouching(['raft-1'], ['raft-0', 'raft-1', 'raft-2']));
  t.same(touching, ['raft-0>raft-1', 'raft-1>raft-0', 'raft-1>raft-2', 'raft-2>raft-1']);
});
