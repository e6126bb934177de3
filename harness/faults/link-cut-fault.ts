// The shared body of isolate and partition: cut the links a grouping gives, heal by releasing
// them. Evidence: the links cut, the term before, and at heal the term after (a new term shows
// the cut forced an election).

import { takeStatusSnapshot } from '../cluster-health/take-status-snapshot.js';
import type { FaultKind } from '../scenario/plan.js';
import { completeGrudge } from './complete-grudge.js';
import { highestTerm, once, type Fault } from './fault.js';

export function linkCutFault(kind: FaultKind, groupsOf: (targets: readonly string[], nodes: readonly string[]) => string[][]): Fault {
  return {
    kind,
    needs: ['cutLinks'],
    async start(context, targets) {
      const groups = groupsOf(targets, context.cluster.nodes);
      const links = completeGrudge(groups);
      await context.links.cut(context.step.id, links);
      return {
        kind,
        targets,
        evidence: { groups, linksCut: links.map((link) => `${link.from}>${link.to}`), termBefore: highestTerm(context.snapshotBefore) },
        heal: once(async () => {
          await context.links.release(context.step.id);
          const after = await takeStatusSnapshot(context.cluster.nodes, context.probe);
          return { termAtHeal: highestTerm(after) };
        }),
      };
    },
  };
}
