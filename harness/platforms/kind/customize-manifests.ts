// Pure: the rendered kustomization (manifests/) adapted to one run: replica count, the peers
// that go with it, the scenario's server settings, the image built for this run, run labels.

import type { KubernetesObject, V1EnvVar, V1StatefulSet } from '@kubernetes/client-node';
import { statefulSetPeers } from './raft-peers.js';
import { partOfLabel, partOfValue, runLabel } from '../../platform/labels.js';
import { kindSettings } from './kind-settings.js';

export interface ManifestCustomization {
  replicas: number;
  /** Extra `RAFT_*` variables (server settings, bug modes) for every pod. */
  serverEnv: Record<string, string>;
  /** Full image reference, e.g. `raft-chaos-server:3f2a…`. */
  image: string;
  runId: string;
}

export function customizeManifests(objects: KubernetesObject[], customization: ManifestCustomization): KubernetesObject[] {
  const statefulSets = objects.filter(isRaftStatefulSet);
  if (statefulSets.length !== 1) {
    throw new Error(
      `manifests/: expected exactly one StatefulSet named "${kindSettings.statefulSetName}", found ${statefulSets.length}; ` +
        'check manifests/kustomization.yaml lists statefulset.yaml',
    );
  }
  return objects.map((object) => {
    const labelled = withRunLabel(structuredClone(object), customization.runId);
    return isRaftStatefulSet(labelled) ? customizeStatefulSet(labelled, customization) : labelled;
  });
}

function isRaftStatefulSet(object: KubernetesObject): object is V1StatefulSet {
  return object.kind === 'StatefulSet' && object.metadata?.name === kindSettings.statefulSetName;
}

function withRunLabel<T extends KubernetesObject>(object: T, runId: string): T {
  object.metadata ??= {};
  object.metadata.labels = {
    ...object.metadata.labels,
    [partOfLabel]: partOfValue,
    [runLabel]: runId,
  };
  return object;
}

function customizeStatefulSet(statefulSet: V1StatefulSet, customization: ManifestCustomization): V1StatefulSet {
  const spec = statefulSet.spec;
  if (!spec) throw new Error('manifests/statefulset.yaml: StatefulSet has no spec');
  spec.replicas = customization.replicas;
  const template = spec.template;
  template.metadata ??= {};
  template.metadata.labels = { ...template.metadata.labels, [runLabel]: customization.runId };
  const container = template.spec?.containers.find((candidate) => candidate.name === kindSettings.containerName);
  if (!container) {
    throw new Error(`manifests/statefulset.yaml: no container named "${kindSettings.containerName}" in the pod template`);
  }
  container.image = customization.image;
  container.imagePullPolicy = 'Never';
  container.env = mergeEnv(container.env ?? [], {
    RAFT_PEERS: statefulSetPeers({
      statefulSetName: kindSettings.statefulSetName,
      serviceName: kindSettings.serviceName,
      namespace: statefulSet.metadata?.namespace ?? kindSettings.namespace,
      replicas: customization.replicas,
      peerPort: kindSettings.peerPort,
    }),
    ...customization.serverEnv,
  });
  return statefulSet;
}

/** Sets plain values for the given names, keeping the order and every other variable. */
export function mergeEnv(env: V1EnvVar[], values: Record<string, string>): V1EnvVar[] {
  const remaining = new Map(Object.entries(values));
  const merged = env.map((variable) => {
    const value = remaining.get(variable.name);
    if (value === undefined) return variable;
    remaining.delete(variable.name);
    return { name: variable.name, value };
  });
  for (const [name, value] of remaining) merged.push({ name, value });
  return merged;
}
