// The kind platform's Kubernetes calls, made by the real @kubernetes/client-node against
// fake-kubernetes-api (no API server can run on this machine): the right verbs, paths,
// parameters and content types, and errors reduced to the API's Status.message.

import t from 'tap';
import { RaftKubernetesApi } from '../../../harness/platforms/kind/raft-kubernetes-api.js';
import { startFakeKubernetesApi, status, type RecordedRequest } from '../../fixtures/kind/fake-kubernetes-api.js';

function pod(name: string, options: { ready: boolean; nodeName: string; ip: string; uid: string }): Record<string, unknown> {
  return {
    metadata: { name, uid: options.uid, namespace: 'raft-chaos' },
    spec: { nodeName: options.nodeName, containers: [{ name: 'raft', image: 'x' }] },
    status: { phase: 'Running', podIP: options.ip, conditions: [{ type: 'Ready', status: options.ready ? 'True' : 'False' }] },
  };
}

const podList = {
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: {},
  items: [
    pod('raft-1', { ready: false, nodeName: 'raft-chaos-worker2', ip: '10.244.2.3', uid: 'uid-1' }),
    pod('raft-0', { ready: true, nodeName: 'raft-chaos-worker', ip: '10.244.1.3', uid: 'uid-0' }),
  ],
};

const discovery: Record<string, unknown> = {
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      { name: 'services', singularName: 'service', namespaced: true, kind: 'Service', verbs: ['get', 'patch'] },
      { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'delete'] },
    ],
  },
  '/apis/apps/v1': {
    kind: 'APIResourceList',
    groupVersion: 'apps/v1',
    resources: [{ name: 'statefulsets', singularName: 'statefulset', namespaced: true, kind: 'StatefulSet', verbs: ['get', 'patch'] }],
  },
};

function route(request: RecordedRequest) {
  if (request.method === 'GET' && discovery[request.path]) return { status: 200, body: discovery[request.path] };
  if (request.method === 'GET' && request.path === '/api/v1/namespaces/raft-chaos/pods') return { status: 200, body: podList };
  if (request.method === 'DELETE' && request.path === '/api/v1/namespaces/raft-chaos/pods/raft-0') {
    return { status: 200, body: podList.items[1] };
  }
  if (request.method === 'DELETE' && request.path === '/api/v1/namespaces/raft-chaos/pods/raft-9') {
    return { status: 404, body: status(404, 'NotFound', 'pods "raft-9" not found') };
  }
  if (request.method === 'GET' && request.path === '/api/v1/namespaces/raft-chaos/pods/raft-9') {
    return { status: 404, body: status(404, 'NotFound', 'pods "raft-9" not found') };
  }
  if (request.method === 'PATCH' && request.path === '/apis/apps/v1/namespaces/raft-chaos/statefulsets/raft') {
    return { status: 200, body: JSON.parse(request.body) };
  }
  if (request.method === 'PATCH' && request.path === '/api/v1/namespaces/raft-chaos/services/raft') {
    return { status: 422, body: status(422, 'Invalid', 'Service "raft" is invalid: spec.ports[0].port: Invalid value: 0') };
  }
  return undefined;
}

t.test('lists the raft pods by label and summarises them', async (t) => {
  const fake = await startFakeKubernetesApi(route);
  t.teardown(() => fake.close());
  const pods = await new RaftKubernetesApi(fake.kubeConfig).listPods();
  t.same(
    pods.map((summary) => [summary.name, summary.ready, summary.nodeName, summary.podIp, summary.uid]),
    [
      ['raft-0', true, 'raft-chaos-worker', '10.244.1.3', 'uid-0'],
      ['raft-1', false, 'raft-chaos-worker2', '10.244.2.3', 'uid-1'],
    ],
  );
  t.equal(fake.requests[0]!.query.get('labelSelector'), 'app.kubernetes.io/name=raft');
});

t.test('kills a pod by deleting it with grace period 0', async (t) => {
  const fake = await startFakeKubernetesApi(route);
  t.teardown(() => fake.close());
  await new RaftKubernetesApi(fake.kubeConfig).deletePod('raft-0');
  const request = fake.requests[0]!;
  t.equal(request.method, 'DELETE');
  t.equal(request.path, '/api/v1/namespaces/raft-chaos/pods/raft-0');
  t.equal(request.query.get('gracePeriodSeconds'), '0');
});

t.test('an API error is reduced to its Status.message', async (t) => {
  const fake = await startFakeKubernetesApi(route);
  t.teardown(() => fake.close());
  const api = new RaftKubernetesApi(fake.kubeConfig);
  await t.rejects(api.deletePod('raft-9'), /deleting pod raft-9 in namespace raft-chaos: pods "raft-9" not found \(HTTP 404, NotFound\)/);
  t.equal(await api.readPod('raft-9'), null, 'reading an absent pod is null, not an error');
});

t.test('applies objects with server-side apply under the harness field manager', async (t) => {
  const fake = await startFakeKubernetesApi(route);
  t.teardown(() => fake.close());
  const statefulSet = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'raft', namespace: 'raft-chaos' }, spec: { replicas: 3 } };
  await new RaftKubernetesApi(fake.kubeConfig).apply([statefulSet]);
  const patch = fake.requests.find((request) => request.method === 'PATCH')!;
  t.ok(patch, 'a PATCH was sent');
  t.equal(patch.path, '/apis/apps/v1/namespaces/raft-chaos/statefulsets/raft');
  t.equal(patch.contentType, 'application/apply-patch+yaml');
  t.equal(patch.query.get('fieldManager'), 'raft-chaos-harness');
  t.equal(patch.query.get('force'), 'true');
  t.same(JSON.parse(patch.body).spec, { replicas: 3 });
});

t.test('an apply error names the object and the API message', async (t) => {
  const fake = await startFakeKubernetesApi(route);
  t.teardown(() => fake.close());
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'raft', namespace: 'raft-chaos' }, spec: {} };
  await t.rejects(
    new RaftKubernetesApi(fake.kubeConfig).apply([service]),
    /applying Service raft: Service "raft" is invalid: spec.ports\[0\].port: Invalid value: 0/,
  );
});

t.test('removing a run deletes the StatefulSet, its pods and its claims by label', async (t) => {
  const fake = await startFakeKubernetesApi((request) =>
    request.method === 'DELETE' ? { status: 200, body: { kind: 'Status', apiVersion: 'v1', status: 'Success' } } : undefined,
  );
  t.teardown(() => fake.close());
  await new RaftKubernetesApi(fake.kubeConfig).deleteStatefulSetAndClaims();
  t.same(
    fake.requests.map((request) => [request.method, request.path]),
    [
      ['DELETE', '/apis/apps/v1/namespaces/raft-chaos/statefulsets/raft'],
      ['DELETE', '/api/v1/namespaces/raft-chaos/pods'],
      ['DELETE', '/api/v1/namespaces/raft-chaos/persistentvolumeclaims'],
    ],
  );
  t.equal(fake.requests[1]!.query.get('labelSelector'), 'app.kubernetes.io/name=raft');
  t.equal(fake.requests[2]!.query.get('labelSelector'), 'app.kubernetes.io/part-of=raft-chaos');
});

t.test('a call the API server refuses for a passing reason (503, 429) is retried; a 404 or 422 is final at once', async (t) => {
  let refusals = 2;
  const fake = await startFakeKubernetesApi((request) => {
    if (request.method === 'GET' && request.path === '/api/v1/namespaces/raft-chaos/pods' && refusals > 0) {
      refusals -= 1;
      return refusals === 1 ? { status: 503, body: status(503, 'ServiceUnavailable', 'the server is starting') } : { status: 429, body: status(429, 'TooManyRequests', 'slow down') };
    }
    return route(request);
  });
  t.teardown(() => fake.close());
  const api = new RaftKubernetesApi(fake.kubeConfig, 'raft-chaos', { minTimeoutMs: 10 });
  const pods = await api.listPods();
  t.equal(pods.length, 2, 'the third attempt answers');
  t.equal(fake.requests.filter((request) => request.path === '/api/v1/namespaces/raft-chaos/pods').length, 3, 'two refusals, then the answer');
  const before = fake.requests.length;
  await t.rejects(api.deletePod('raft-9'), /HTTP 404/);
  t.equal(fake.requests.length - before, 1, 'a 404 is not retried');
});

t.test('retries give up after their budget, with the last error', async (t) => {
  const fake = await startFakeKubernetesApi((request) =>
    request.method === 'GET' && request.path === '/api/v1/namespaces/raft-chaos/pods' ? { status: 503, body: status(503, 'ServiceUnavailable', 'still starting') } : route(request),
  );
  t.teardown(() => fake.close());
  const api = new RaftKubernetesApi(fake.kubeConfig, 'raft-chaos', { retries: 2, minTimeoutMs: 10 });
  await t.rejects(api.listPods(), /listing raft pods in namespace raft-chaos: still starting \(HTTP 503, ServiceUnavailable\)/);
  t.equal(fake.requests.filter((request) => request.path === '/api/v1/namespaces/raft-chaos/pods').length, 3);
});
