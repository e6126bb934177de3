// The shared body of slow-links and lossy-links: shape every link touching the targets.

import type { LinkShape } from '../platform/platform.js';
import { linksTouching } from './complete-grudge.js';
import { leaderOrRandomNode, once, type Fault, type FaultParameters } from './fault.js';

/** `shapeOf` turns the step's parameters (absent ones undefined) into the shape to apply. */
export function linkShapeFault<Kind extends string>(
  kind: Kind,
  parameters: FaultParameters,
  shapeOf: (parameters: Readonly<Partial<Record<string, number>>>) => LinkShape,
): Fault<Kind> {
  return {
    kind,
    needs: ['shapeLinks'],
    defaultTarget: 'all',
    nemesisTargets: leaderOrRandomNode,
    nemesisByDefault: true,
    parameters,
    async start(context, targets) {
      const shape = shapeOf(context.step.parameters ?? {});
      const links = linksTouching(targets, context.cluster.nodes);
      await context.links.shape(context.step.id, links, shape);
      return {
        kind,
        targets,
        evidence: { shape, linksShaped: links.map((link) => `${link.from}>${link.to}`) },
        heal: once(async () => {
          await context.links.release(context.step.id);
          return { restored: links.length };
        }),
      };
    },
  };
}
