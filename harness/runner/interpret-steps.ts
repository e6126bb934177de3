// Runs a plan's steps in order. Platform failures propagate (the caller turns them into exit 3);
// what the system under test fails to do (elect a leader, recover in time) becomes a verdict and
// ends the steps; a fault whose targets cannot be found makes the run's verdict unknown.

import { setTimeout as delay } from 'node:timers/promises';
import { waitForHealthy } from '../cluster-health/wait-for-healthy.js';
import { waitForLeader } from '../cluster-health/wait-for-leader.js';
import type { FaultStep, Step } from '../scenario/plan.js';
import { nemesisFaultStep, nemesisRounds } from './random-nemesis.js';
import { restartNodes } from './restart-nodes.js';
import type { StepContext } from './step-context.js';

type NemesisStep = Extract<Step, { type: 'nemesis' }>;

export async function interpretSteps(steps: readonly Step[], context: StepContext): Promise<void> {
  for (const step of steps) {
    if (context.signal.aborted) return;
    const goOn = await interpretStep(step, context);
    if (!goOn) return;
  }
}

/** Returns false when the steps should end (the cluster failed a wait). */
async function interpretStep(step: Step, context: StepContext): Promise<boolean> {
  switch (step.type) {
    case 'wait':
      await pause(step.durationMs, context.signal);
      return true;
    case 'fault':
      await fireFault(step, context);
      return true;
    case 'heal':
      if (step.faultId === 'all') {
        const failures = await context.driver.healAll();
        if (failures.length > 0) throw new Error(`${step.source}: ${failures.join('; ')}`);
      } else await context.driver.heal(step.faultId);
      return true;
    case 'restart':
      return restartNodes(step, context);
    case 'wait-for-leader':
      return waitStep(step.type, step.timeoutMs, step.source, context);
    case 'wait-for-healthy':
      return waitStep(step.type, step.timeoutMs, step.source, context);
    case 'nemesis':
      await runNemesis(step, context);
      return true;
  }
}

async function fireFault(step: FaultStep, context: StepContext): Promise<void> {
  const outcome = await context.driver.fire(step);
  if (!outcome.fired) {
    context.progress(`fault ${step.id} did not fire: ${outcome.reason}`);
    context.verdicts.push({ check: 'fault-fired', valid: 'unknown', summary: `fault ${step.id} could not fire, so the scenario did not test it: ${outcome.reason}`, evidence: { fault: step.id, source: step.source } });
  }
}

async function waitStep(kind: 'wait-for-leader' | 'wait-for-healthy', timeoutMs: number, source: string, context: StepContext): Promise<boolean> {
  const options = { nodes: context.cluster.nodes, probe: context.probe, timeoutMs, progress: context.progress, signal: context.signal };
  const result = kind === 'wait-for-leader' ? await waitForLeader(options) : await waitForHealthy(options);
  const succeeded = 'found' in result ? result.found : result.healthy;
  if (succeeded) {
    context.timeline.note(context.clock.nowNs(), `${kind} passed after ${result.elapsedMs} ms`, { source });
    return true;
  }
  if (context.signal.aborted) return false;
  const reason = 'reason' in result ? result.reason : '';
  context.verdicts.push({ check: kind === 'wait-for-leader' ? 'leader-elected' : 'healthy', valid: false, summary: `${source}: ${reason}`, evidence: { source, timeoutMs } });
  context.progress(`${kind} failed at ${source}: ${reason}`);
  return false;
}

async function runNemesis(step: NemesisStep, context: StepContext): Promise<void> {
  const rounds = nemesisRounds(step.durationMs, step.intervalMs, step.holdMs);
  const endMs = performance.now() + step.durationMs;
  for (let index = 1; index <= rounds && performance.now() < endMs && !context.signal.aborted; index += 1) {
    await pause(step.intervalMs, context.signal);
    if (context.signal.aborted) return;
    const faultStep = nemesisFaultStep(step.faults, index, step.source, context.random);
    const outcome = await context.driver.fire(faultStep);
    if (!outcome.fired) {
      context.progress(`nemesis: ${faultStep.id} skipped: ${outcome.reason}`);
      continue;
    }
    await pause(step.holdMs, context.signal);
    await context.driver.heal(faultStep.id);
  }
}

async function pause(durationMs: number, signal: AbortSignal): Promise<void> {
  await delay(durationMs, undefined, { signal }).catch(() => undefined);
}
