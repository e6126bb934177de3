// The Kubernetes API calls of the kind platform, through @kubernetes/client-node: apply the
// rendered manifests, find the raft pods, delete one (grace 0), read logs, scale the StatefulSet
// (its scale subresource), rewrite the membership ConfigMap, delete a pod's claim, remove a run. A call
// that fails for a passing reason (HTTP 429 / 5xx, a reset connection) is retried with back-off.

import {
  AppsV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type KubernetesObject,
  type V1Pod,
} from '@kubernetes/client-node';
import { partOfLabel, partOfValue } from '../../platform/labels.js';
import { kindSettings } from './kind-settings.js';
import { kubernetesErrorCode, kubernetesErrorMessage } from './kubernetes-error-message.js';
import { retryTransient, type RetryOptions } from './retry-transient.js';

export interface PodSummary {
  name: string;
  uid: string;
  nodeName: string | null;
  podIp: string | null;
  ready: boolean;
  phase: string;
  deleting: boolean;
  /** The raft container's start time and restart count: they change when its host restarts it. */
  containerStartedAt: string | null;
  restartCount: number;
}

export function summarizePod(pod: V1Pod): PodSummary {
  const readyCondition = pod.status?.conditions?.find((condition) => condition.type === 'Ready');
  const container = pod.status?.containerStatuses?.find((status) => status.name === kindSettings.containerName);
  return {
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? '',
    nodeName: pod.spec?.nodeName ?? null,
    podIp: pod.status?.podIP ?? null,
    ready: readyCondition?.status === 'True',
    phase: pod.status?.phase ?? 'Unknown',
    deleting: Boolean(pod.metadata?.deletionTimestamp),
    containerStartedAt: toText(container?.state?.running?.startedAt),
    restartCount: container?.restartCount ?? 0,
  };
}

function toText(time: Date | string | undefined): string | null {
  if (time === undefined) return null;
  return time instanceof Date ? time.toISOString() : String(time);
}

/**
 * Which running instance a pod is: its uid (a deleted pod comes back with a new one) plus its
 * container's restart count and start time (a stopped and restarted host restarts the container).
 */
export function podInstance(pod: PodSummary | null): string {
  if (pod === null) return 'absent';
  return `${pod.uid}/${pod.restartCount}@${pod.containerStartedAt ?? 'not-running'}`;
}

/** The claim the StatefulSet's volume claim template gives a pod, e.g. data-raft-1. */
export function claimName(pod: string): string {
  return `${kindSettings.dataClaimTemplate}-${pod}`;
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export class RaftKubernetesApi {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly objects: KubernetesObjectApi;

  constructor(
    kubeConfig: KubeConfig,
    private readonly namespace: string = kindSettings.namespace,
    /** How calls that fail for a passing reason (HTTP 429 / 5xx, a reset connection) are retried. */
    private readonly retry: RetryOptions = {},
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  }

  /** Server-side apply of every object, in order (the namespace comes first in the rendering). */
  async apply(objects: KubernetesObject[]): Promise<void> {
    for (const object of objects) {
      try {
        await retryTransient(() => this.objects.patch(object, undefined, undefined, kindSettings.fieldManager, true, PatchStrategy.ServerSideApply), this.retry);
      } catch (error) {
        throw new Error(`applying ${object.kind} ${object.metadata?.name}: ${kubernetesErrorMessage(error)}`);
      }
    }
  }

  async listPods(): Promise<PodSummary[]> {
    const list = await this.call('listing raft pods', () =>
      this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: kindSettings.appSelector }),
    );
    return list.items.map(summarizePod).sort((left, right) => left.name.localeCompare(right.name));
  }

  async readPod(name: string): Promise<PodSummary | null> {
    try {
      return summarizePod(await retryTransient(() => this.core.readNamespacedPod({ name, namespace: this.namespace }), this.retry));
    } catch (error) {
      if (kubernetesErrorCode(error) === 404) return null;
      throw new Error(`reading pod ${name}: ${kubernetesErrorMessage(error)}`);
    }
  }

  /** Deletes a pod at once (grace 0): the StatefulSet controller brings it back. */
  async deletePod(name: string): Promise<void> {
    await this.call(`deleting pod ${name}`, () =>
      this.core.deleteNamespacedPod({ name, namespace: this.namespace, gracePeriodSeconds: 0 }),
    );
  }

  async readPodLog(name: string, previous = false): Promise<string> {
    try {
      return await retryTransient(
        () => this.core.readNamespacedPodLog({ name, namespace: this.namespace, container: kindSettings.containerName, previous }),
        this.retry,
      );
    } catch (error) {
      if (previous && kubernetesErrorCode(error) === 400) return '';
      throw new Error(`reading the log of pod ${name}: ${kubernetesErrorMessage(error)}`);
    }
  }

  /** Sets the StatefulSet's replicas through its scale subresource (a merge patch of spec.replicas). */
  async scaleStatefulSet(replicas: number): Promise<void> {
    await this.call(`scaling StatefulSet ${kindSettings.statefulSetName} to ${replicas} replicas`, () =>
      this.apps.patchNamespacedStatefulSetScale(
        { name: kindSettings.statefulSetName, namespace: this.namespace, body: { spec: { replicas } }, fieldManager: kindSettings.fieldManager },
        mergePatch,
      ),
    );
  }

  /** Replaces the membership ConfigMap's files (`<pod>.env`), read by each pod when it starts. */
  async writeMembershipFiles(files: Record<string, string>): Promise<void> {
    await this.call(`writing ConfigMap ${kindSettings.membershipConfigMap}`, () =>
      this.core.patchNamespacedConfigMap(
        { name: kindSettings.membershipConfigMap, namespace: this.namespace, body: { data: files }, fieldManager: kindSettings.fieldManager },
        mergePatch,
      ),
    );
  }

  /** The uid of the pod's data claim (`data-<pod>`), or null when it has none. */
  async readClaimUid(pod: string): Promise<string | null> {
    try {
      const claim = await retryTransient(() => this.core.readNamespacedPersistentVolumeClaim({ name: claimName(pod), namespace: this.namespace }), this.retry);
      return claim.metadata?.uid ?? null;
    } catch (error) {
      if (kubernetesErrorCode(error) === 404) return null;
      throw new Error(`reading claim ${claimName(pod)}: ${kubernetesErrorMessage(error)}`);
    }
  }

  /** Deletes the pod's data claim; it is gone once no pod uses it. An absent claim is no error. */
  async deleteClaim(pod: string): Promise<void> {
    try {
      await retryTransient(() => this.core.deleteNamespacedPersistentVolumeClaim({ name: claimName(pod), namespace: this.namespace }), this.retry);
    } catch (error) {
      if (kubernetesErrorCode(error) !== 404) throw new Error(`deleting claim ${claimName(pod)} in namespace ${this.namespace}: ${kubernetesErrorMessage(error)}`);
    }
  }

  /** Removes the StatefulSet and its claims, so the next run starts from empty disks. */
  async deleteStatefulSetAndClaims(): Promise<void> {
    try {
      await retryTransient(
        () =>
          this.apps.deleteNamespacedStatefulSet({
            name: kindSettings.statefulSetName,
            namespace: this.namespace,
            gracePeriodSeconds: 0,
            propagationPolicy: 'Foreground',
          }),
        this.retry,
      );
    } catch (error) {
      if (kubernetesErrorCode(error) !== 404) {
        throw new Error(`deleting StatefulSet ${kindSettings.statefulSetName}: ${kubernetesErrorMessage(error)}`);
      }
    }
    await this.call('deleting the raft pods', () =>
      this.core.deleteCollectionNamespacedPod({
        namespace: this.namespace,
        labelSelector: kindSettings.appSelector,
        gracePeriodSeconds: 0,
      }),
    );
    await this.call('deleting the data claims', () =>
      this.core.deleteCollectionNamespacedPersistentVolumeClaim({
        namespace: this.namespace,
        labelSelector: `${partOfLabel}=${partOfValue}`,
      }),
    );
  }

  /** Removes the namespace and everything in it that carries the project's label. */
  async deleteNamespace(): Promise<void> {
    try {
      await retryTransient(() => this.core.deleteNamespace({ name: this.namespace }), this.retry);
    } catch (error) {
      if (kubernetesErrorCode(error) !== 404) {
        throw new Error(`deleting namespace ${this.namespace}: ${kubernetesErrorMessage(error)}`);
      }
    }
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await retryTransient(request, this.retry);
    } catch (error) {
      throw new Error(`${what} in namespace ${this.namespace}: ${kubernetesErrorMessage(error)}`);
    }
  }
}
