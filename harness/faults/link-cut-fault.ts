// The shared body of isolate and partition: cut the links a grouping gives, heal by releasing
// them. Evidence: the links cut; when the leader was cut off, the term before and the term seen
// before the links are restored (it must have grown: the cut forced an election).

import type { TargetSelector } from '../scenario/plan.js';
import type { TargetName } from '../scenario/scenario-schema.js';
import { completeGrudge } from './complete-grudge.js';
import { electionExpectedForGroups, termAfterEvidence, termBeforeEvidence } from './election-evidence.js';
import { once, type Fault } from './fault.js';

export interface LinkCutDeclaration<Kind extends string> {
  kind: Kind;
  defaultTarget: TargetName;
  nemesisTargets: readonly TargetSelector[];
  groupsOf: (targets: readonly string[], nodes: readonly string[]) => string[][];
}

export function linkCutFault<Kind extends string>({ kind, defaultTarget, nemesisTargets, groupsOf }: LinkCutDeclaration<Kind>): Fault<Kind> {
  return {
    kind,
    needs: ['cutLinks'],
    defaultTarget,
    nemesisTargets,
    nemesisByDefault: true,
    async start(context, targets) {
      const groups = groupsOf(targets, context.cluster.nodes);
      const terms = termBeforeEvidence(context, electionExpectedForGroups(context, groups));
      const links = completeGrudge(groups);
      await context.links.cut(context.step.id, links);
      return {
        kind,
        targets,
        evidence: { groups, linksCut: links.map((link) => `${link.from}>${link.to}`), ...terms },
        heal: once(async () => {
          const termEvidence = await termAfterEvidence(context, terms);
          await context.links.release(context.step.id);
          return { linksRestored: links.length, ...termEvidence };
        }),
      };
    },
  };
}
