// Fires faults (targets resolved from a fresh status snapshot and the seeded rng), keeps the
// active ones, heals them by id or all at once, and writes every start and heal to the timeline.

import { setTimeout as delay } from 'node:timers/promises';
import type { StatusProbe, StatusSnapshot } from '../cluster-health/status-snapshot.js';
import { takeStatusSnapshot } from '../cluster-health/take-status-snapshot.js';
import type { ActiveFault } from '../faults/fault.js';
import { faultOf } from '../faults/fault-registry.js';
import { createLinkController, type LinkController } from '../faults/link-controller.js';
import type { StartedCluster } from '../platform/platform.js';
import type { FaultStep } from '../scenario/plan.js';
import type { FaultRecord, FaultTimeline } from './fault-timeline.js';
import type { RunClock } from './run-clock.js';
import type { SeededRandom } from '../shared/seeded-random.js';
import { describeSelector, resolveTargets, TargetResolutionError } from './target-resolution.js';

export interface FaultDriverOptions {
  cluster: StartedCluster;
  probe: StatusProbe;
  timeline: FaultTimeline;
  clock: RunClock;
  random: SeededRandom;
  restartDelayMs: number;
  /** ClusterSpec.spareNodes: what grow may launch; default none. */
  spareNodes?: readonly string[];
  healTimeoutMs: number;
  progress: (line: string) => void;
}

/** How long a fault keeps trying to resolve its targets (e.g. waiting for a leader). */
const resolveRetryMs = 5000;
const resolveIntervalMs = 200;
const resolveAttemptsMax = 50;

export type FireOutcome = { fired: true; record: FaultRecord } | { fired: false; reason: string };

export class FaultDriver {
  readonly #options: FaultDriverOptions;
  readonly #links: LinkController;
  readonly #active = new Map<string, { record: FaultRecord; fault: ActiveFault }>();
  /** Faults whose targets could not be resolved: healing them is a no-op. */
  readonly #skipped = new Set<string>();

  constructor(options: FaultDriverOptions) {
    this.#options = options;
    this.#links = createLinkController(options.cluster);
  }

  get activeIds(): string[] {
    return [...this.#active.keys()];
  }

  /**
   * Fires a fault. When its targets cannot be resolved (no leader yet), retries for a few
   * seconds, then resolves `fired: false`. Rejects on platform errors.
   */
  async fire(step: FaultStep): Promise<FireOutcome> {
    const { cluster, probe, clock, progress } = this.#options;
    if (this.#active.has(step.id)) throw new Error(`${step.source}: fault id ${step.id} is already active; heal it before firing it again`);
    const resolved = await this.#resolve(step);
    if (!resolved.ok) {
      this.#skipped.add(step.id);
      this.#options.timeline.note(clock.nowNs(), `fault ${step.id} not fired: ${resolved.reason}`, { source: step.source });
      return { fired: false, reason: `${step.source}: ${resolved.reason}` };
    }
    const { targets, snapshotBefore } = resolved;
    // A grow fault's target is the spare it launches, not the resolved selector.
    const hits = step.fault === 'grow' ? 'the next spare' : targets.join(', ');
    progress(`fault ${step.id}: ${step.fault} on ${hits} (${describeSelector(step.target)})`);
    const context = { cluster, step, links: this.#links, probe, snapshotBefore, restartDelayMs: this.#options.restartDelayMs, spareNodes: this.#options.spareNodes ?? [], healTimeoutMs: this.#options.healTimeoutMs, progress };
    const startNs = clock.nowNs();
    const fault = await faultOf(step.fault).start(context, targets);
    // The nodes it hit: a grow fault's is the spare it launched, not the resolved selector.
    const record: FaultRecord = { id: step.id, fault: step.fault, targets: [...fault.targets], source: step.source, startNs, startEvidence: fault.evidence };
    this.#options.timeline.started(record);
    this.#active.set(step.id, { record, fault });
    return { fired: true, record };
  }

  async #resolve(step: FaultStep): Promise<{ ok: true; targets: string[]; snapshotBefore: StatusSnapshot } | { ok: false; reason: string }> {
    const { cluster, probe, clock } = this.#options;
    const deadlineMs = performance.now() + resolveRetryMs;
    for (let attempt = 1; ; attempt += 1) {
      const snapshotBefore = await takeStatusSnapshot(cluster.nodes, probe, clock.nowMs);
      try {
        return { ok: true, targets: resolveTargets(step.target, snapshotBefore, this.#options.random), snapshotBefore };
      } catch (error) {
        if (!(error instanceof TargetResolutionError)) throw error;
        if (performance.now() >= deadlineMs || attempt >= resolveAttemptsMax) return { ok: false, reason: error.message };
      }
      await delay(resolveIntervalMs);
    }
  }

  /** Heals one active fault; an unknown id is an error in the plan. */
  async heal(id: string): Promise<void> {
    const entry = this.#active.get(id);
    if (entry === undefined && this.#skipped.has(id)) {
      this.#options.timeline.note(this.#options.clock.nowNs(), `heal ${id}: nothing to heal, the fault never fired`);
      return;
    }
    if (entry === undefined) throw new Error(`heal ${id}: no active fault has this id (active: ${this.activeIds.join(', ') || 'none'})`);
    this.#active.delete(id);
    const { clock, timeline, progress } = this.#options;
    progress(`heal ${id}: ${entry.record.fault} on ${entry.record.targets.join(', ')}`);
    try {
      const evidence = await entry.fault.heal();
      timeline.healed(entry.record, clock.nowNs(), evidence);
    } catch (error) {
      timeline.healFailed(entry.record, clock.nowNs(), (error as Error).message);
      throw error;
    }
  }

  /** Heals every active fault, then asks the platform to restore everything; reports every failure. */
  async healAll(): Promise<string[]> {
    const failures: string[] = [];
    for (const id of this.activeIds) {
      await this.heal(id).catch((error: Error) => failures.push(`heal ${id}: ${error.message}`));
    }
    await this.#options.cluster.healAll().catch((error: Error) => failures.push(`platform healAll: ${error.message}`));
    return failures;
  }
}
