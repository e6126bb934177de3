// Capability membership on Kubernetes: which pods are live nodes, and launching or removing one.
// The StatefulSet only grows and shrinks at its highest ordinal (kind-membership-plan.ts), so a
// pod is launched to join by scaling up or, below the current replicas, by deleting it and its
// claim; every pod reads RAFT_JOIN from its file in the membership ConfigMap, which is rewritten
// before any pod starts. A removed pod below the highest live one is parked: it comes back on an
// empty claim with RAFT_JOIN=true and waits, in no configuration, outside the live nodes.

import type { ClusterSpec } from '../../platform/platform.js';
import { pollUntil } from '../../shared/poll-until.js';
import { RaftClient } from '../../../raft/client/raft-client.js';
import { kindSettings } from './kind-settings.js';
import { planLaunch, planRemoval } from './kind-membership-plan.js';
import { membershipFiles } from './membership-files.js';
import type { PodPortForward } from './pod-port-forward.js';
import { claimName, type RaftKubernetesApi } from './raft-kubernetes-api.js';
import { statefulSetPodNames } from './raft-peers.js';

export interface KindMembershipSetup {
  api: RaftKubernetesApi;
  spec: ClusterSpec;
  /** The port-forwards of the live nodes, by pod name: opened on launch, closed on removal. */
  forwards: Map<string, PodPortForward>;
  openForward: (pod: string) => Promise<PodPortForward>;
  /** How long a pod may take to be replaced, scheduled and ready. */
  readyTimeoutMs: number;
  /** Between two looks at the pods while waiting. */
  pollIntervalMs: number;
}

/** Rounds a new pod may stay unready on a claim that is not new before it is deleted again. */
const stuckRoundsBeforeRetry = 10;
const recreateAttempts = 3;

/** Between a removed pod's output and that of its next launch, in its collected log. */
export const relaunchSeparator = '--- removed, launched again to join ---';

/** A pod's output: the previous container's (after a restart) and the current one's. */
export async function readPodLogs(api: RaftKubernetesApi, pod: string): Promise<string> {
  const previous = await api.readPodLog(pod, true).catch(() => '');
  const current = await api.readPodLog(pod).catch((error: Error) => `log unavailable: ${error.message}\n`);
  return previous ? `${previous}\n--- pod restarted ---\n${current}` : current;
}

export class KindMembership {
  private readonly live: string[];
  private readonly peers: string[];
  private readonly launchMembers: string[];
  private readonly joining = new Set<string>();
  /** The output of removed pods, for collectLogs. */
  readonly departedLogs = new Map<string, string>();
  private replicas: number;

  constructor(private readonly setup: KindMembershipSetup) {
    this.live = [...setup.spec.nodes];
    this.launchMembers = [...setup.spec.nodes];
    this.peers = [...setup.spec.nodes, ...(setup.spec.spareNodes ?? [])];
    this.replicas = setup.spec.nodes.length;
  }

  get nodes(): readonly string[] {
    return [...this.live];
  }

  /** Starts `pod` on an empty claim with RAFT_JOIN=true; returns once it is ready and waits to be added. */
  async launchJoining(pod: string): Promise<void> {
    this.checkPeer(pod);
    if (this.live.includes(pod)) throw new Error(`kind platform: cannot launch ${pod} to join: it is a live node already; removeNode it first`);
    const plan = planLaunch(kindSettings.statefulSetName, pod, this.replicas);
    this.joining.add(pod);
    if (plan.action === 'scale-up') {
      for (const parked of plan.parked) this.joining.add(parked);
      await this.writeFiles();
      const previousPod = (await this.setup.api.readPod(pod))?.uid ?? null;
      const previousClaim = await this.setup.api.readClaimUid(pod);
      for (const fresh of [pod, ...plan.parked]) await this.setup.api.deleteClaim(fresh);
      await this.setup.api.scaleStatefulSet(plan.replicas);
      this.replicas = plan.replicas;
      await this.waitForNewPod(pod, previousPod, previousClaim);
    } else {
      await this.writeFiles();
      await this.recreateOnEmptyClaim(pod);
    }
    this.setup.forwards.set(pod, await this.setup.openForward(pod));
    this.live.push(pod);
    await this.checkWaitingToJoin(pod);
    this.progress(`cluster: ${pod} launched to join (${plan.action === 'scale-up' ? `StatefulSet scaled to ${plan.replicas}` : 'pod and claim replaced'})`);
  }

  /** Takes `pod` out of the live nodes for good: scale down past it, or park it (see above). */
  async removeNode(pod: string): Promise<void> {
    this.checkPeer(pod);
    if (!this.live.includes(pod)) throw new Error(`kind platform: cannot remove ${pod}: it is not a live node (${this.live.join(', ')})`);
    const plan = planRemoval(kindSettings.statefulSetName, pod, this.replicas, this.live);
    const earlier = this.departedLogs.get(pod);
    const log = await readPodLogs(this.setup.api, pod);
    this.departedLogs.set(pod, earlier === undefined ? log : `${earlier}\n${relaunchSeparator}\n${log}`);
    await this.setup.forwards.get(pod)?.close();
    this.setup.forwards.delete(pod);
    this.live.splice(this.live.indexOf(pod), 1);
    if (plan.action === 'scale-down') {
      await this.setup.api.scaleStatefulSet(plan.replicas);
      this.replicas = plan.replicas;
      for (const gone of plan.gone) await this.waitForPodGone(gone);
      for (const gone of plan.gone) await this.setup.api.deleteClaim(gone);
      this.progress(`cluster: ${pod} removed (StatefulSet scaled to ${plan.replicas}, claims of ${plan.gone.join(', ')} deleted)`);
      return;
    }
    this.joining.add(pod);
    await this.writeFiles();
    await this.recreateOnEmptyClaim(pod);
    this.progress(`cluster: ${pod} removed and parked (a StatefulSet shrinks from its highest ordinal only): its pod waits on an empty claim with RAFT_JOIN=true, in no configuration`);
  }

  private checkPeer(pod: string): void {
    if (this.peers.includes(pod)) return;
    throw new Error(`kind platform: ${pod} is neither a launch pod nor a spare of run ${this.setup.spec.runId} (${this.peers.join(', ')}), so no pod has its address; name it in spareNodes`);
  }

  private writeFiles(): Promise<void> {
    return this.setup.api.writeMembershipFiles(membershipFiles({ peers: this.peers, launchMembers: this.launchMembers, joining: this.joining }));
  }

  /**
   * Deletes the pod's claim, then the pod (grace 0); the StatefulSet controller makes a new pod
   * and a new claim. A new pod that stays unready on the old claim, or on none, is deleted again
   * (the controller may have made it before the old claim was gone).
   */
  private async recreateOnEmptyClaim(pod: string): Promise<void> {
    const oldClaim = await this.setup.api.readClaimUid(pod);
    let oldPod = (await this.setup.api.readPod(pod))?.uid ?? null;
    for (let attempt = 1; ; attempt += 1) {
      await this.setup.api.deleteClaim(pod);
      await this.setup.api.deletePod(pod).catch((error: Error) => {
        if (!/HTTP 404/.test(error.message)) throw error;
      });
      const outcome = await this.waitForNewPod(pod, oldPod, oldClaim, attempt < recreateAttempts);
      if (outcome === 'ready') return;
      oldPod = outcome.stuckPod;
    }
  }

  /**
   * Waits until `pod` has a uid other than `oldPod`, is ready, and has a claim other than
   * `oldClaim`. With `retryStuck`, a new pod that stays unready on a claim that is not new is
   * returned as stuck, for another deletion.
   */
  private async waitForNewPod(pod: string, oldPod: string | null, oldClaim: string | null, retryStuck = false): Promise<'ready' | { stuckPod: string }> {
    let stuckRounds = 0;
    const outcome = await pollUntil({
      what: `a new ready pod ${pod} on a new claim ${claimName(pod)}`,
      ...this.pollTiming(),
      attempt: async () => {
        const current = await this.setup.api.readPod(pod);
        const claim = await this.setup.api.readClaimUid(pod);
        const fresh = current !== null && current.uid !== oldPod && !current.deleting ? current : undefined;
        const newClaim = claim !== null && claim !== oldClaim;
        stuckRounds = fresh !== undefined && !fresh.ready && !newClaim ? stuckRounds + 1 : 0;
        const stuck = retryStuck && stuckRounds >= stuckRoundsBeforeRetry;
        const describe = `pod ${current === null ? 'absent' : `${current.uid} ${current.phase}${current.ready ? ' ready' : ''}`}, claim ${claim ?? 'absent'}`;
        return { done: (fresh?.ready === true && newClaim) || stuck, finding: stuck ? fresh?.uid : undefined, describe };
      },
    });
    if (outcome.done) return outcome.finding === undefined ? 'ready' : { stuckPod: outcome.finding };
    throw new Error(
      `kind platform: pod ${pod} was not replaced by a ready pod on a new claim within ${this.setup.readyTimeoutMs} ms (${outcome.lastDescription}); ` +
        `look at \`kubectl -n ${kindSettings.namespace} describe pod ${pod}\` and \`kubectl -n ${kindSettings.namespace} get pvc\``,
    );
  }

  private pollTiming() {
    return { timeoutMs: this.setup.readyTimeoutMs, intervalMs: this.setup.pollIntervalMs, progressEveryMs: 10_000, progress: (line: string) => this.progress(line) };
  }

  private async waitForPodGone(pod: string): Promise<void> {
    const outcome = await pollUntil({
      what: `pod ${pod} gone`,
      ...this.pollTiming(),
      attempt: async () => {
        const current = await this.setup.api.readPod(pod);
        return { done: current === null, finding: current, describe: current === null ? 'gone' : `${current.phase}${current.deleting ? ' terminating' : ''}` };
      },
    });
    if (!outcome.done) {
      throw new Error(`kind platform: pod ${pod} is still there ${this.setup.readyTimeoutMs} ms after the StatefulSet was scaled down (${outcome.lastDescription}); look at \`kubectl -n ${kindSettings.namespace} describe statefulset ${kindSettings.statefulSetName}\``);
    }
  }

  /**
   * A pod launched to join must be in no configuration: had it read an outdated membership file
   * (RAFT_JOIN=false) it would start as a launch voter on an empty disk. Refuses such a pod.
   */
  private async checkWaitingToJoin(pod: string): Promise<void> {
    const client = new RaftClient({ addresses: { [pod]: this.setup.forwards.get(pod)!.address }, requestTimeoutMs: 5000 });
    try {
      const answer = await client.status(pod);
      if (!answer.ok) throw new Error(`kind platform: ${pod} was launched to join but does not answer status (${answer.error}); its log: \`kubectl -n ${kindSettings.namespace} logs ${pod}\``);
      const members = answer.status.members ?? [];
      if (members.length > 0) {
        throw new Error(
          `kind platform: ${pod} was launched to join but started in configuration ${members.map((member) => member.id).join(',')}: ` +
            `it read an outdated ${kindSettings.membershipConfigMap} file (RAFT_JOIN=false); see \`kubectl -n ${kindSettings.namespace} get configmap ${kindSettings.membershipConfigMap} -o yaml\``,
        );
      }
    } finally {
      client.close();
    }
  }

  private progress(line: string): void {
    this.setup.spec.progress?.(line);
  }
}

/** Why `spareNodes` cannot be had on the StatefulSet: they must be the ordinals after `nodes`. */
export function kindSpareNodesProblem(spec: Pick<ClusterSpec, 'nodes' | 'spareNodes'>): string | undefined {
  const spares = spec.spareNodes ?? [];
  const expected = statefulSetPodNames(kindSettings.statefulSetName, spec.nodes.length + spares.length).slice(spec.nodes.length);
  if (spares.join() === expected.join()) return undefined;
  return `the kind platform names spare pods by the ordinals after the launch pods (${expected.join(', ') || 'none'}); the scenario asked for ${spares.join(', ')}`;
}
