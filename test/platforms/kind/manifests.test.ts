import t from 'tap';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { parse } from 'yaml';
import type { KubernetesObject, V1StatefulSet, V1Role } from '@kubernetes/client-node';
import { parseManifestStream, renderKustomization } from '../../../harness/platforms/kind/kind-cli.js';
import { customizeManifests } from '../../../harness/platforms/kind/customize-manifests.js';
import { validateManifests } from '../../../harness/platforms/kind/validate-manifests.js';

const kubectlPresent = (await execa('kubectl', ['version', '--client'], { reject: false })).exitCode === 0;
const skipWithoutKubectl = kubectlPresent ? false : 'kubectl is not installed: cannot render manifests/ with kustomize';

function statefulSetOf(objects: KubernetesObject[]): V1StatefulSet {
  const found = objects.find((object) => object.kind === 'StatefulSet');
  if (!found) throw new Error('no StatefulSet rendered');
  return found as V1StatefulSet;
}

t.test('the kustomization renders objects that pass the Kubernetes schemas', { skip: skipWithoutKubectl }, async (t) => {
  const objects = await renderKustomization('manifests');
  const kinds = objects.map((object) => object.kind).sort();
  t.same(kinds, ['Namespace', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'ServiceAccount', 'ServiceAccount', 'StatefulSet']);
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
  t.match(env.RAFT_PEERS?.value, /raft-0=raft-0\.raft\.raft-chaos\.svc\.cluster\.local:7001/);
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
});

t.test('a customized rendering for 5 replicas with bug modes is still valid', { skip: skipWithoutKubectl }, async (t) => {
  const objects = customizeManifests(await renderKustomization('manifests'), {
    replicas: 5,
    serverEnv: { RAFT_BUG_STALE_READS: '1' },
    image: 'raft-chaos-server:abc123',
    runId: 'run-1',
  });
  t.same(validateManifests(objects), []);
  const statefulSet = statefulSetOf(objects);
  const container = statefulSet.spec!.template.spec!.containers[0]!;
  t.equal(statefulSet.spec!.replicas, 5);
  const peers = container.env!.find((variable) => variable.name === 'RAFT_PEERS')!.value!.split(',');
  t.equal(peers.length, 5);
  t.equal(peers[4], 'raft-4=raft-4.raft.raft-chaos.svc.cluster.local:7001');
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

t.test('the kind cluster has one control plane and four workers', async (t) => {
  const cluster = parse(readFileSync('kind/cluster.yaml', 'utf8')) as { kind: string; nodes: { role: string }[] };
  t.equal(cluster.kind, 'Cluster');
  t.same(cluster.nodes.map((node) => node.role), ['control-plane', 'worker', 'worker', 'worker', 'worker']);
});
