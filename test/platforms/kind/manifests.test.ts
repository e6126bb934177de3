import t from 'tap';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { parse } from 'yaml';
import type { KubernetesObject, V1ConfigMap, V1StatefulSet, V1Role } from '@kubernetes/client-node';
import { parseManifestStream, renderKustomization } from '../../../harness/platforms/kind/kind-cli.js';
import { customizeManifests } from '../../../harness/platforms/kind/customize-manifests.js';
import { validateManifests } from '../../../harness/platforms/kind/validate-manifests.js';

const kubectlPresent = (await execa('kubectl', ['version', '--client'], { reject: false })).exitCode === 0;
const skipWithoutKubectl = kubectlPresent ? false : 'kubectl is not installed: cannot render manifests/ with kustomize';

function membershipOf(objects: KubernetesObject[]): Record<string, string> {
  const found = objects.find((object) => object.kind === 'ConfigMap' && object.metadata?.name === 'raft-membership') as V1ConfigMap | undefined;
  if (!found) throw new Error('no membership ConfigMap rendered');
  return found.data ?? {};
}

function statefulSetOf(objects: KubernetesObject[]): V1StatefulSet {
  const found = objects.find((object) => object.kind === 'StatefulSet');
  if (!found) throw new Error('no StatefulSet rendered');
  return found as V1StatefulSet;
}

t.test('the kustomization renders objects that pass the Kubernetes schemas', { skip: skipWithoutKubectl }, async (t) => {
  const objects = await renderKustomization('manifests');
  const kinds = objects.map((object) => object.kind).sort();
  t.same(kinds, ['ConfigMap', 'Namespace', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'ServiceAccount', 'ServiceAccount', 'StatefulSet']);
  t.same(validateManifests(objects), [], 'every object is valid against its schema');
  for (const object of objects) {
    t.equal(object.metadata?.labels?.['app.kubernetes.io/part-of'], 'raft-chaos', `${object.kind} ${object.metadata?.name} is labelled`);
    if (object.kind !== 'Namespace') t.equal(object.metadata?.namespace, 'raft-chaos', `${object.kind} is namespaced`);
  }
});

t.test('the StatefulSet is what a Raft cluster needs', { skip: skipWithoutKubectl }, async (t) => {
  const statefulSet = statefulSetOf(await renderKustomization('manifests'));
  const pod = statefulSet.spec!.template.spec!;
  const container = pod.containers[0]!;
  t.equal(statefulSet.spec!.replicas, 3);
  t.equal(statefulSet.spec!.serviceName, 'raft');
  t.equal(statefulSet.spec!.podManagementPolicy, 'Parallel');
  t.equal(pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.topologyKey, 'kubernetes.io/hostname');
  t.equal(statefulSet.spec!.volumeClaimTemplates?.[0]?.metadata?.name, 'data');
  t.same(container.volumeMounts?.find((mount) => mount.name === 'data')?.mountPath, '/data');
  const env = Object.fromEntries((container.env ?? []).map((variable) => [variable.name, variable]));
  t.equal(env.RAFT_ID?.valueFrom?.fieldRef?.fieldPath, 'metadata.name', 'RAFT_ID is the pod name');
  t.equal(env.RAFT_DATA_DIR?.value, '/data');
  t.notOk(env.RAFT_PEERS, 'RAFT_PEERS is not in the shared environment');
  t.same(container.command, ['/usr/local/bin/node', '--env-file=/etc/raft-membership/$(RAFT_ID).env', '/app/server.mjs'], 'each pod reads its own membership file');
  t.equal(container.volumeMounts?.find((mount) => mount.name === 'membership')?.mountPath, '/etc/raft-membership');
  t.equal(pod.volumes?.find((volume) => volume.name === 'membership')?.configMap?.name, 'raft-membership');
  t.equal(
    membershipOf(await renderKustomization('manifests'))['raft-1.env'],
    'RAFT_PEERS=raft-0=raft-0.raft.raft-chaos.svc.cluster.local:7001,raft-1=raft-1.raft.raft-chaos.svc.cluster.local:7001,raft-2=raft-2.raft.raft-chaos.svc.cluster.local:7001\nRAFT_MEMBERS=raft-0,raft-1,raft-2\nRAFT_JOIN=false\n',
    'the shipped membership file of raft-1',
  );
  t.match(container.readinessProbe?.exec?.command?.join(' '), /"op":"status"/, 'readiness asks the status op');
  t.equal(pod.securityContext?.runAsNonRoot, true);
  t.equal(container.securityContext?.readOnlyRootFilesystem, true);
  t.equal(container.securityContext?.allowPrivilegeEscalation, false);
  t.ok(container.resources?.limits?.memory, 'memory limit set');
});

t.test('the harness role only reaches into its own namespace', { skip: skipWithoutKubectl }, async (t) => {
  const objects = await renderKustomization('manifests');
  t.notOk(objects.some((object) => object.kind === 'ClusterRole' || object.kind === 'ClusterRoleBinding'));
  const role = objects.find((object) => object.kind === 'Role') as V1Role;
  const verbs = role.rules!.flatMap((rule) => rule.verbs);
  t.notOk(verbs.includes('*'), 'no wildcard verbs');
  t.ok(role.rules!.some((rule) => rule.resources?.includes('pods/portforward')));
  t.ok(role.rules!.some((rule) => rule.resources?.includes('statefulsets/scale') && rule.verbs.includes('patch')), 'it may scale the StatefulSet');
  t.ok(role.rules!.some((rule) => rule.resources?.includes('configmaps') && rule.verbs.includes('patch')), 'it may rewrite the membership files');
  t.ok(role.rules!.some((rule) => rule.resources?.includes('persistentvolumeclaims') && rule.verbs.includes('delete')), 'it may delete claims');
});

t.test('a customized rendering for 5 replicas and 2 spares with bug modes is still valid', { skip: skipWithoutKubectl }, async (t) => {
  const objects = customizeManifests(await renderKustomization('manifests'), {
    replicas: 5,
    spareReplicas: 2,
    serverEnv: { RAFT_BUG_STALE_READS: '1', RAFT_PEERS: 'ignored=here:1' },
    image: 'raft-chaos-server:abc123',
    runId: 'run-1',
  });
  t.same(validateManifests(objects), []);
  const statefulSet = statefulSetOf(objects);
  const container = statefulSet.spec!.template.spec!.containers[0]!;
  t.equal(statefulSet.spec!.replicas, 5);
  t.notOk(container.env!.some((variable) => variable.name === 'RAFT_PEERS'), 'RAFT_PEERS only in the membership files (--env-file does not override the environment)');
  const files = membershipOf(objects);
  t.same(Object.keys(files), ['raft-0.env', 'raft-1.env', 'raft-2.env', 'raft-3.env', 'raft-4.env', 'raft-5.env', 'raft-6.env'], 'a file for every launch pod and spare');
  const variables = Object.fromEntries(files['raft-6.env']!.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  const peers = variables.RAFT_PEERS!.split(',');
  t.equal(peers.length, 7);
  t.equal(peers[6], 'raft-6=raft-6.raft.raft-chaos.svc.cluster.local:7001');
  t.equal(variables.RAFT_MEMBERS, 'raft-0,raft-1,raft-2,raft-3,raft-4', 'the launch pods are the voters');
  t.equal(variables.RAFT_JOIN, 'false', 'nobody joins before the harness says so');
  t.equal(container.env!.find((variable) => variable.name === 'RAFT_BUG_STALE_READS')?.value, '1');
  t.equal(container.image, 'raft-chaos-server:abc123');
  t.equal(container.imagePullPolicy, 'Never', 'a kind-loaded image is never pulled');
  t.ok(objects.every((object) => object.metadata?.labels?.['raft-chaos.run'] === 'run-1'));
});

t.test('a broken manifest is refused with the object and the field', async (t) => {
  const objects = parseManifestStream(
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: raft}\nspec: {replicas: "three", serviceName: raft, selector: {}, template: {}}\n',
    'inline',
  );
  const problems = validateManifests(objects);
  t.equal(problems.length, 1);
  t.equal(problems[0]!.object, 'StatefulSet raft');
  t.match(problems[0]!.message, /replicas/);
});

t.test('the kind cluster has one control plane and five workers (a 5-pod StatefulSet with anti-affinity)', async (t) => {
  const cluster = parse(readFileSync('kind/cluster.yaml', 'utf8')) as { kind: string; nodes: { role: string }[] };
  t.equal(cluster.kind, 'Cluster');
  t.same(cluster.nodes.map((node) => node.role), ['control-plane', 'worker', 'worker', 'worker', 'worker', 'worker']);
});
