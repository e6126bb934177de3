// Keeps every active link fault's cuts and shaping, and applies their union to the platform:
// the platform's cutLinks / shapeLinks replace what was set before, so two overlapping
// partitions must not undo each other when one heals. Shaping has one shape at a time: the most
// recently started shaping fault's shape applies to the links of every active shaping fault.

import type { Link, LinkShape, StartedCluster } from '../platform/platform.js';

export interface LinkController {
  cut(faultId: string, links: readonly Link[]): Promise<Link[]>;
  shape(faultId: string, links: readonly Link[], shape: LinkShape): Promise<Link[]>;
  release(faultId: string): Promise<void>;
  readonly activeCuts: number;
}

const linkKey = (link: Link) => `${link.from}>${link.to}`;

function unionOf(linkSets: Iterable<readonly Link[]>): Link[] {
  const union = new Map<string, Link>();
  for (const links of linkSets) for (const link of links) union.set(linkKey(link), link);
  return [...union.values()];
}

export function createLinkController(cluster: Pick<StartedCluster, 'cutLinks' | 'shapeLinks'>): LinkController {
  const cuts = new Map<string, readonly Link[]>();
  const shapes = new Map<string, { links: readonly Link[]; shape: LinkShape }>();
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(action: () => Promise<T>): Promise<T> => {
    const run = queue.then(action);
    queue = run.catch(() => undefined);
    return run;
  };
  const applyCuts = () => cluster.cutLinks(unionOf(cuts.values()));
  const applyShapes = async () => {
    const latest = [...shapes.values()].at(-1);
    await cluster.shapeLinks(unionOf([...shapes.values()].map((entry) => entry.links)), latest?.shape ?? { delayMs: 0, jitterMs: 0, dropRate: 0 });
  };
  return {
    cut: (faultId, links) =>
      serialized(async () => {
        cuts.set(faultId, [...links]);
        await applyCuts();
        return unionOf(cuts.values());
      }),
    shape: (faultId, links, shape) =>
      serialized(async () => {
        shapes.set(faultId, { links: [...links], shape });
        await applyShapes();
        return unionOf([...shapes.values()].map((entry) => entry.links));
      }),
    release: (faultId) =>
      serialized(async () => {
        if (cuts.delete(faultId)) await applyCuts();
        if (shapes.delete(faultId)) await applyShapes();
      }),
    get activeCuts() {
      return cuts.size;
    },
  };
}
