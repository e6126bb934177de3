// Each fault of the kind platform maps onto the right Kubernetes call or kind node container
// action. The Kubernetes side is the real client against fake-kubernetes-api; the node
// containers are a recording double of KindNodeContainers (kind cannot run here).

import t from 'tap';
import { KindCluster } from '../../../harness/platforms/kind/kind-platform.js';
import { KindNodeContainers } from '../../../harness/platforms/kind/kind-node-container.js';
import { RaftKubernetesApi } from '../../../harness/platforms/kind/raft-kubernetes-api.js';
import { startFakeKubernetesApi, type RecordedRequest } from '../../fixtures/kind/fake-kubernetes-api.js';

class RecordingNodeContainers extends KindNodeContainers {
  readonly actions: string[] = [];
  override async stop(node: string) { this.actions.push(`stop ${node}`); }
  override async start(node: string) { this.actions.push(`start ${node}`); }
  override async pause(node: string) { this.actions.push(`pause ${node}`); }
  override async resume(node: string) { this.actions.push(`resume ${node}`); }
  override async exec(node: string, command: string[]) { this.actions.push(`exec ${node}: ${command.join(' ')}`); return ''; }
}

const hosts: Record<string, [string, string]> = {
  'raft-0': ['raft-chaos-worker', '10.244.1.3'],
  'raft-1': ['raft-chaos-worker2', '10.244.2.3'],
  'raft-2': ['raft-chaos-worker3', '10.244.3.3'],
};

function podBody(name: string) {
  const [nodeName, podIP] = hosts[name]!;
  return {
    metadata: { name, uid: `uid-${name}` },
    spec: { nodeName, containers: [{ name: 'raft', image: 'x' }] },
    status: {
      phase: 'Running',
      podIP,
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'raft', ready: true, restartCount: 2, image: 'x', imageID: 'x', state: { running: { startedAt: '2026-11-22T05:00:00Z' } } }],
    },
  };
}

function route(request: RecordedRequest) {
  const single = /^\/api\/v1\/namespaces\/raft-chaos\/pods\/(raft-\d)$/.exec(request.path);
  if (single && hosts[single[1]!]) return { status: 200, body: podBody(single[1]!) };
  if (request.path === '/api/v1/namespaces/raft-chaos/pods') {
    return { status: 200, body: { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: Object.keys(hosts).map(podBody) } };
  }
  return undefined;
}

async function cluster(t: { teardown(fn: () => unknown): void }) {
  const fake = await startFakeKubernetesApi(route);
  t.teardown(() => fake.close());
  const containers = new RecordingNodeContainers();
  const spec = { runId: 'r', nodes: ['raft-0', 'raft-1', 'raft-2'], serverEnv: {}, workDir: '/tmp', restartDelayMs: 0 };
  const started = new KindCluster(spec, new RaftKubernetesApi(fake.kubeConfig), new Map(), containers);
  return { fake, containers, started };
}

t.test('kill deletes the pod with grace 0; identity is the pod uid and its container start', async (t) => {
  const { fake, started } = await cluster(t);
  await started.kill('raft-1');
  const deletion = fake.requests.find((request) => request.method === 'DELETE')!;
  t.equal(deletion.path, '/api/v1/namespaces/raft-chaos/pods/raft-1');
  t.equal(deletion.query.get('gracePeriodSeconds'), '0');
  t.same(await started.identity('raft-2'), { node: 'raft-2', instance: 'uid-raft-2/2@2026-11-22T05:00:00.000Z' });
});

t.test('stop, start and pause act on the kind node hosting the pod; heal undoes them', async (t) => {
  const { containers, started } = await cluster(t);
  await started.stop('raft-1');
  await started.pause('raft-2');
  t.same(containers.actions, ['stop raft-chaos-worker2', 'pause raft-chaos-worker3']);
  await started.healAll();
  t.ok(containers.actions.includes('resume raft-chaos-worker3'));
  t.ok(containers.actions.includes('start raft-chaos-worker2'));
});

t.test('a cut link drops packets on the node hosting the sender, heal flushes them', async (t) => {
  const { containers, started } = await cluster(t);
  await started.cutLinks([{ from: 'raft-0', to: 'raft-1' }, { from: 'raft-1', to: 'raft-0' }]);
  const drops = containers.actions.filter((action) => action.includes('-j DROP'));
  t.same(drops, [
    'exec raft-chaos-worker: iptables -w -A RAFT-CHAOS -s 10.244.1.3 -d 10.244.2.3 -j DROP',
    'exec raft-chaos-worker2: iptables -w -A RAFT-CHAOS -s 10.244.2.3 -d 10.244.1.3 -j DROP',
  ]);
  containers.actions.length = 0;
  await started.healAll();
  t.ok(containers.actions.includes('exec raft-chaos-worker: sh -c iptables -w -F RAFT-CHAOS 2>/dev/null || true'));
  t.ok(containers.actions.includes('exec raft-chaos-worker2: sh -c iptables -w -F RAFT-CHAOS 2>/dev/null || true'));
});

t.test('shaping installs netem on the sender host for the chosen destinations', async (t) => {
  const { containers, started } = await cluster(t);
  await started.shapeLinks([{ from: 'raft-0', to: 'raft-1' }, { from: 'raft-0', to: 'raft-2' }], { delayMs: 50, jitterMs: 0, dropRate: 0 });
  const filters = containers.actions.filter((action) => action.includes('u32 match ip dst'));
  t.equal(filters.length, 2);
  t.ok(filters.every((action) => action.startsWith('exec raft-chaos-worker:')));
});
