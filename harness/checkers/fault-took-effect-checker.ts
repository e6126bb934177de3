// Vacuity guard: a fault that did not take effect proves nothing. Judged from the evidence the
// runner recorded: a fault must reach at least one node, a link fault at least one link, a killed
// node's instance must change, a paused node must not answer, where an election was expected
// the term must grow, and a membership change must show in the configuration it was acknowledged with.

import type { FaultWindow, FaultWindowEvidence, RunFacts } from './run-facts.js';
import type { Verdict } from './verdict.js';

export function checkFaultTookEffect(facts: RunFacts): Verdict {
  const judged = facts.faultWindows.filter((window) => window.evidence !== undefined || (window.fault !== undefined && window.targets.length === 0));
  for (const window of judged) {
    const problem = whyNoEffect(window);
    if (problem !== null) {
      return { check: 'fault-took-effect', valid: false, summary: `fault ${window.name} did not take effect: ${problem}`, evidence: { window: window.name, fault: window.fault ?? null, targets: window.targets, ...window.evidence } };
    }
  }
  return { check: 'fault-took-effect', valid: true, summary: `${judged.length} of ${facts.faultWindows.length} faults have evidence, all took effect`, evidence: { judged: judged.map((window) => window.name) } };
}

function whyNoEffect(window: FaultWindow): string | null {
  if (window.targets.length === 0) return 'it resolved to no target';
  const evidence = window.evidence ?? {};
  if (evidence.links !== undefined && evidence.links.length === 0) {
    return `it cut or shaped no link: ${window.targets.join(', ')} has no peer link to act on in this cluster (too few nodes for this ${window.fault ?? 'link'} fault)`;
  }
  if (evidence.instanceBefore !== undefined && evidence.instanceAfter !== undefined) {
    for (const [node, before] of Object.entries(evidence.instanceBefore)) {
      if (evidence.instanceAfter[node] === before) return `${node} is still instance ${before}`;
    }
  }
  if (evidence.answeredWhilePaused !== undefined && evidence.answeredWhilePaused.length > 0) return `${evidence.answeredWhilePaused.join(', ')} answered while paused`;
  if (evidence.termBefore !== undefined && evidence.termAfter !== undefined && !(evidence.termAfter > evidence.termBefore)) return `the term stayed at ${evidence.termBefore} (now ${evidence.termAfter}), so no election happened`;
  return whyNoMembershipChange(evidence);
}

function whyNoMembershipChange(evidence: FaultWindowEvidence): string | null {
  const { addedVoters, votersAfterAdd, removedVoters, votersAfterRemove } = evidence;
  const missing = addedVoters?.find((node) => votersAfterAdd !== undefined && !votersAfterAdd.includes(node));
  if (missing !== undefined) return `${missing} was not a voter of the configuration add-member was acknowledged with (${votersAfterAdd!.join(', ')})`;
  const kept = removedVoters?.find((node) => votersAfterRemove !== undefined && votersAfterRemove.includes(node));
  if (kept !== undefined) return `${kept} was still a voter of the configuration remove-member was acknowledged with (${votersAfterRemove!.join(', ')})`;
  return null;
}
