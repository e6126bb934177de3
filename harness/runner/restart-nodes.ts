// The `restart` step: stop then start the targets. Rolling: one node at a time, waiting for a
// healthy cluster between nodes; otherwise all at once, then one health wait.

import { setTimeout as delay } from 'node:timers/promises';
import { takeStatusSnapshot } from '../cluster-health/take-status-snapshot.js';
import { waitForHealthy } from '../cluster-health/wait-for-healthy.js';
import type { Step } from '../scenario/plan.js';
import type { FaultRecord } from './fault-timeline.js';
import type { StepContext } from './step-context.js';
import { describeSelector, resolveTargets } from './target-resolution.js';

type RestartStep = Extract<Step, { type: 'restart' }>;

/** Between the nodes of a rolling restart, after the cluster is healthy again: traffic to judge each restart by. */
const quietWindowMs = 1000;

/** Returns false when the cluster did not become healthy after a restart (a verdict was added). */
export async function restartNodes(step: RestartStep, context: StepContext): Promise<boolean> {
  const snapshot = await takeStatusSnapshot(context.cluster.nodes, context.probe, context.clock.nowMs);
  const targets = resolveTargets(step.target, snapshot, context.random);
  context.progress(`restart ${step.rolling ? 'rolling ' : ''}${targets.join(', ')} (${describeSelector(step.target)})`);
  const batches = step.rolling ? targets.map((node) => [node]) : [targets];
  for (const [index, batch] of batches.entries()) {
    if (context.signal.aborted) return true;
    if (index > 0) await delay(quietWindowMs, undefined, { signal: context.signal }).catch(() => undefined);
    context.progress(`restart ${batch.join(', ')}: stop, start, then wait for a healthy cluster`);
    const before = await instances(context, batch);
    const record: FaultRecord = { id: `restart-${batch.join('+')}`, fault: 'stop', targets: batch, source: step.source, startNs: context.clock.nowNs(), startEvidence: { restart: true, instanceBefore: before } };
    context.timeline.started(record);
    await Promise.all(batch.map((node) => context.cluster.stop(node)));
    await Promise.all(batch.map((node) => context.cluster.start(node)));
    context.timeline.healed(record, context.clock.nowNs(), { instanceAfter: await instances(context, batch) });
    const health = await waitForHealthy({ nodes: context.cluster.nodes, probe: context.probe, timeoutMs: context.plan.checks.healthyAfterMsMax, progress: context.progress, signal: context.signal });
    if (!health.healthy && !context.signal.aborted) {
      context.verdicts.push({ check: 'healthy-after-restart', valid: false, summary: `${step.source}: after restarting ${batch.join(', ')}: ${health.reason}`, evidence: { source: step.source, nodes: batch } });
      return false;
    }
  }
  return true;
}

async function instances(context: StepContext, nodes: readonly string[]): Promise<Record<string, string>> {
  const identities = await Promise.all(nodes.map((node) => context.cluster.identity(node)));
  return Object.fromEntries(identities.map((identity) => [identity.node, identity.instance]));
}
