// Pure: the rendered kustomization (manifests/) adapted to one run: replica count, the
// membership files that go with it (peers, spares, launch voters), the scenario's server
// settings, the image built for this run, run labels.

import type { KubernetesObject, V1ConfigMap, V1EnvVar, V1StatefulSet } from '@kubernetes/client-node';
import { imageBundlePath } from '../../server-image/image-context.js';
import { imageNodePath } from '../../server-image/node-runtime-files.js';
import { membershipFiles } from './membership-files.js';
import { statefulSetPodNames } from './raft-peers.js';
import { partOfLabel, partOfValue, runLabel } from '../../platform/labels.js';
import { kindSettings } from './kind-settings.js';

export interface ManifestCustomization {
  replicas: number;
  /** Pods beyond `replicas` the cluster may grow into (their addresses go into RAFT_PEERS); default 0. */
  spareReplicas?: number;
  /** Extra `RAFT_*` variables (server settings, bug modes) for every pod. */
  serverEnv: Record<string, string>;
  /** Full image reference, e.g. `raft-chaos-server:3f2a…`. */
  image: string;
  runId: string;
}

export function customizeManifests(objects: KubernetesObject[], customization: ManifestCustomization): KubernetesObject[] {
  requireOne(objects, isRaftStatefulSet, `StatefulSet named "${kindSettings.statefulSetName}"`, 'statefulset.yaml');
  requireOne(objects, isMembershipConfigMap, `ConfigMap named "${kindSettings.membershipConfigMap}"`, 'membership-configmap.yaml');
  return objects.map((object) => {
    const labelled = withRunLabel(structuredClone(object), customization.runId);
    if (isRaftStatefulSet(labelled)) return customizeStatefulSet(labelled, customization);
    if (isMembershipConfigMap(labelled)) return customizeMembership(labelled, customization);
    return labelled;
  });
}

function requireOne(objects: KubernetesObject[], matches: (object: KubernetesObject) => boolean, what: string, file: string): void {
  const found = objects.filter(matches).length;
  if (found !== 1) throw new Error(`manifests/: expected exactly one ${what}, found ${found}; check manifests/kustomization.yaml lists ${file}`);
}

function isMembershipConfigMap(object: KubernetesObject): object is V1ConfigMap {
  return object.kind === 'ConfigMap' && object.metadata?.name === kindSettings.membershipConfigMap;
}

/** Every pod's file: launch pods are the voters, spares have addresses, nobody joins yet. */
function customizeMembership(configMap: V1ConfigMap, customization: ManifestCustomization): V1ConfigMap {
  const launchMembers = statefulSetPodNames(kindSettings.statefulSetName, customization.replicas);
  const peers = statefulSetPodNames(kindSettings.statefulSetName, customization.replicas + (customization.spareReplicas ?? 0));
  const namespace = configMap.metadata?.namespace ?? kindSettings.namespace;
  configMap.data = membershipFiles({ peers, launchMembers, joining: new Set() }, namespace);
  return configMap;
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
  container.command = [imageNodePath, `--env-file=${kindSettings.membershipMountPath}/$(RAFT_ID).env`, imageBundlePath];
  // Node's --env-file does not override the environment: the membership variables come from the file only.
  const fromFile = new Set(['RAFT_PEERS', 'RAFT_MEMBERS', 'RAFT_JOIN']);
  const serverEnv = Object.fromEntries(Object.entries(customization.serverEnv).filter(([name]) => !fromFile.has(name)));
  container.env = mergeEnv((container.env ?? []).filter((variable) => !fromFile.has(variable.name)), serverEnv);
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
