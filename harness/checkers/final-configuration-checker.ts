// Pure: after the final heal, the configuration is the one the scenario asked for (its size, the
// nodes the platform runs, all voters, no learner left over) and every node agrees on it. Judged
// from the statuses the runner probed after the final heal (RunFacts.finalConfiguration); runs
// only for plans that change membership.

import type { FinalConfiguration, RunFacts } from './run-facts.js';
import type { Verdict } from './verdict.js';

const check = 'final-configuration';

export function checkFinalConfiguration(facts: Pick<RunFacts, 'finalConfiguration'>): Verdict | undefined {
  const final = facts.finalConfiguration;
  if (final === undefined) return undefined;
  if (!wellFormed(final)) return { check, valid: 'unknown', summary: 'finalConfiguration in the run facts is malformed: expected {expectedVoters: [names], expectedSize: number, views: {node: {voters, learners} or null}}', evidence: { finalConfiguration: final as unknown } };
  const expected = [...final.expectedVoters].sort();
  const evidence = { expectedVoters: expected, expectedSize: final.expectedSize, views: final.views };
  if (expected.length !== final.expectedSize) {
    return { check, valid: false, summary: `the cluster ended with ${expected.length} nodes (${expected.join(', ')}), not the ${final.expectedSize} the scenario asked for`, evidence };
  }
  const disagreements = Object.entries(final.views).flatMap(([node, view]) => describeDisagreement(node, view, expected));
  const silent = Object.entries(final.views).filter(([, view]) => view === null).map(([node]) => node);
  if (disagreements.length > 0) return { check, valid: false, summary: `not every node holds the configuration ${expected.join(', ')}: ${disagreements.join('; ')}`, evidence };
  if (silent.length > 0) return { check, valid: 'unknown', summary: `${silent.join(', ')} did not report a configuration after the final heal, so agreement is unproven`, evidence };
  return { check, valid: true, summary: `every node (${expected.join(', ')}) holds the configuration the scenario asked for: ${expected.length} voters, no learner`, evidence };
}

function describeDisagreement(node: string, view: FinalConfiguration['views'][string], expected: readonly string[]): string[] {
  if (view === null) return [];
  const voters = [...view.voters].sort();
  const problems: string[] = [];
  if (voters.join() !== expected.join()) problems.push(`${node} has voters ${voters.join(', ') || 'none'}`);
  if (view.learners.length > 0) problems.push(`${node} still has learners ${view.learners.join(', ')}`);
  return problems;
}

/** Facts may come from a file (`harness check --facts`): bad input gives an unknown verdict, never a crash. */
function wellFormed(final: FinalConfiguration): boolean {
  const names = (value: unknown) => Array.isArray(value) && value.every((name) => typeof name === 'string');
  if (!names(final.expectedVoters) || typeof final.expectedSize !== 'number' || typeof final.views !== 'object' || final.views === null) return false;
  return Object.values(final.views).every((view) => view === null || (typeof view === 'object' && names(view.voters) && names(view.learners)));
}
