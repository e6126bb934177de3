import t from 'tap';
import { createLinkController } from '../../harness/faults/link-controller.js';
import type { Link, LinkShape } from '../../harness/platform/platform.js';

// recording-cluster: the two link methods of StartedCluster, remembering each call, so the test
// sees exactly what the platform would be asked to apply.
function recordingCluster() {
  const calls: { cut?: string[]; shaped?: string[]; shape?: LinkShape }[] = [];
  const text = (links: Link[]) => links.map((link) => `${link.from}>${link.to}`).sort();
  return {
    calls,
    cutLinks: async (links: Link[]) => void calls.push({ cut: text(links) }),
    shapeLinks: async (links: Link[], shape: LinkShape) => void calls.push({ shaped: text(links), shape }),
  };
}

t.test('overlapping cuts are applied as their union; healing one keeps the other', async (t) => {
  const cluster = recordingCluster();
  const links = createLinkController(cluster);
  await links.cut('a', [{ from: 'n0', to: 'n1' }]);
  await links.cut('b', [{ from: 'n2', to: 'n1' }, { from: 'n0', to: 'n1' }]);
  t.same(cluster.calls.at(-1), { cut: ['n0>n1', 'n2>n1'] });
  await links.release('a');
  t.same(cluster.calls.at(-1), { cut: ['n0>n1', 'n2>n1'] }, "b still cuts n0>n1");
  await links.release('b');
  t.same(cluster.calls.at(-1), { cut: [] });
  t.equal(links.activeCuts, 0);
});

t.test('shaping: the latest shape applies to every shaped link; releasing the last restores all', async (t) => {
  const cluster = recordingCluster();
  const links = createLinkController(cluster);
  const slow = { delayMs: 100, jitterMs: 0, dropRate: 0 };
  const lossy = { delayMs: 0, jitterMs: 0, dropRate: 0.5 };
  await links.shape('slow', [{ from: 'n0', to: 'n1' }], slow);
  await links.shape('lossy', [{ from: 'n1', to: 'n2' }], lossy);
  t.same(cluster.calls.at(-1), { shaped: ['n0>n1', 'n1>n2'], shape: lossy });
  await links.release('lossy');
  t.same(cluster.calls.at(-1), { shaped: ['n0>n1'], shape: slow });
  await links.release('slow');
  t.same(cluster.calls.at(-1), { shaped: [], shape: { delayMs: 0, jitterMs: 0, dropRate: 0 } });
  const before = cluster.calls.length;
  await links.release('unknown');
  t.equal(cluster.calls.length, before, 'releasing an unknown fault asks the platform for nothing');
});
