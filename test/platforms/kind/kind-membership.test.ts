// Membership on the kind platform: the real @kubernetes/client-node against fake-kubernetes-api
// with a stand-in StatefulSet controller (no API server can run here). Grow scales the
// StatefulSet through its scale subresource after writing the pod's membership file with
// RAFT_JOIN=true; shrink of the highest pod scales down and deletes its claim; shrink of a lower
// pod parks it on a new claim; replace deletes the pod and its claim. The port-forward to a pod
// is a stand-in node on loopback that answers `status`.

import t from 'tap';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KindCluster } from '../../../harness/platforms/kind/kind-platform.js';
import { KindNodeContainers } from '../../../harness/platforms/kind/kind-node-container.js';
import { RaftKubernetesApi } from '../../../harness/platforms/kind/raft-kubernetes-api.js';
import type { PodPortForward } from '../../../harness/platforms/kind/pod-port-forward.js';
import { startFakeKubernetesApi } from '../../fixtures/kind/fake-kubernetes-api.js';
import { fakeStatefulSet } from '../../fixtures/kind/fake-statefulset-controller.js';

/** A stand-in for a pod behind its port-forward: answers `status` with the given members. */
async function standInNode(pod: string, members: { id: string; role: string }[]): Promise<PodPortForward> {
  const server: Server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      for (const line of chunk.toString('utf8').split('\n').filter((text) => text !== '')) {
        const request = JSON.parse(line) as { id: number };
        const answer = { id: request.id, ok: true, node: pod, role: 'follower', term: 0, leader: null, commitIndex: 0, lastApplied: 0, lastLogIndex: 0, configurationIndex: 0, members };
        socket.write(`${JSON.stringify(answer)}\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return { address: `127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const launchPods = ['raft-0', 'raft-1', 'raft-2'];

async function setUp(t: { teardown(fn: () => unknown): void }, options: { staleMembers?: boolean } = {}) {
  const statefulSet = fakeStatefulSet(3);
  const fake = await startFakeKubernetesApi(statefulSet.route);
  const forwards = new Map<string, PodPortForward>();
  const opened: PodPortForward[] = [];
  const openForward = async (pod: string) => {
    const forward = await standInNode(pod, options.staleMembers === true ? launchPods.map((id) => ({ id, role: 'voter' })) : []);
    opened.push(forward);
    return forward;
  };
  const spec = { runId: 'r', nodes: launchPods, spareNodes: ['raft-3', 'raft-4'], serverEnv: {}, workDir: '/tmp', restartDelayMs: 0 };
  const cluster = new KindCluster(spec, new RaftKubernetesApi(fake.kubeConfig), forwards, new KindNodeContainers(), { openForward, readyTimeoutMs: 10_000, pollIntervalMs: 10 });
  t.teardown(async () => {
    for (const forward of opened) await forward.close().catch(() => undefined);
    await fake.close();
  });
  const calls = () => fake.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path.replace('/api/v1/namespaces/raft-chaos', '').replace('/apis/apps/v1/namespaces/raft-chaos', '')}`);
  return { statefulSet, fake, cluster, calls };
}

const joinFlag = (files: Record<string, string>, pod: string) => /RAFT_JOIN=(\w+)/.exec(files[`${pod}.env`] ?? '')?.[1];

t.test('grow: the membership file says RAFT_JOIN=true before the StatefulSet scales up', async (t) => {
  const { statefulSet, fake, cluster, calls } = await setUp(t);
  await cluster.launchJoining('raft-3');
  t.same(calls(), ['PATCH /configmaps/raft-membership', 'DELETE /persistentvolumeclaims/data-raft-3', 'PATCH /statefulsets/raft/scale']);
  const scale = fake.requests.find((request) => request.path.endsWith('/scale'))!;
  t.equal(scale.contentType, 'application/merge-patch+json', 'a merge patch of the scale subresource');
  t.same(JSON.parse(scale.body), { spec: { replicas: 4 } });
  const configMap = fake.requests.find((request) => request.path.endsWith('/configmaps/raft-membership'))!;
  t.equal(configMap.contentType, 'application/merge-patch+json');
  t.equal(joinFlag(statefulSet.membershipFiles(), 'raft-3'), 'true');
  t.equal(joinFlag(statefulSet.membershipFiles(), 'raft-0'), 'false');
  t.match(statefulSet.membershipFiles()['raft-3.env'], /RAFT_MEMBERS=raft-0,raft-1,raft-2\n/);
  t.same(cluster.nodes, [...launchPods, 'raft-3']);
  t.match(cluster.clientAddress('raft-3'), /^127\.0\.0\.1:\d+$/, 'reached through its own port-forward');
  t.equal(cluster.peerAddress('raft-3'), 'raft-3.raft.raft-chaos.svc.cluster.local:7001');
});

t.test('grow past a spare: the pod in between starts parked and is no live node', async (t) => {
  const { statefulSet, cluster } = await setUp(t);
  await cluster.launchJoining('raft-4');
  t.equal(statefulSet.replicas(), 5);
  t.equal(joinFlag(statefulSet.membershipFiles(), 'raft-3'), 'true', 'raft-3 waits to be added');
  t.same(cluster.nodes, [...launchPods, 'raft-4']);
});

t.test('shrink of the highest pod scales down and deletes its claim; its log is kept', async (t) => {
  const { statefulSet, cluster, calls } = await setUp(t);
  await cluster.launchJoining('raft-3');
  const before = calls().length;
  await cluster.removeNode('raft-3');
  t.same(calls().slice(before), ['PATCH /statefulsets/raft/scale', 'DELETE /persistentvolumeclaims/data-raft-3']);
  t.equal(statefulSet.replicas(), 3);
  t.equal(statefulSet.claimUid('raft-3'), undefined, 'no claim left');
  t.same(cluster.nodes, launchPods);
  const dir = await mkdtemp(join(tmpdir(), 'raft-chaos-kind-logs-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const paths = await cluster.collectLogs(dir);
  t.ok(paths.includes(join(dir, 'raft-3.log')), 'the removed pod still has a log');
  t.match(await readFile(join(dir, 'raft-3.log'), 'utf8'), /output of raft-3/);
});

t.test('shrink of a lower pod parks it: new claim, RAFT_JOIN=true, no longer a live node, no scaling', async (t) => {
  const { statefulSet, cluster, calls } = await setUp(t);
  const claimBefore = statefulSet.claimUid('raft-1');
  await cluster.removeNode('raft-1');
  t.same(calls(), ['PATCH /configmaps/raft-membership', 'DELETE /persistentvolumeclaims/data-raft-1', 'DELETE /pods/raft-1']);
  t.equal(statefulSet.replicas(), 3, 'the StatefulSet keeps its size');
  t.not(statefulSet.claimUid('raft-1'), claimBefore, 'the parked pod has a new, empty claim');
  t.equal(joinFlag(statefulSet.membershipFiles(), 'raft-1'), 'true', 'and waits to be added');
  t.same(cluster.nodes, ['raft-0', 'raft-2']);
  await t.rejects(cluster.removeNode('raft-1'), /raft-1: it is not a live node/);
});

t.test('replace: remove, then launch again to join on an empty claim', async (t) => {
  const { statefulSet, cluster } = await setUp(t);
  await cluster.removeNode('raft-2');
  t.equal(statefulSet.replicas(), 2, 'raft-2 was the highest: scaled down');
  const podBefore = statefulSet.podUid('raft-0');
  await cluster.launchJoining('raft-2');
  t.equal(statefulSet.replicas(), 3);
  t.ok(statefulSet.claimUid('raft-2'), 'a new claim');
  t.equal(joinFlag(statefulSet.membershipFiles(), 'raft-2'), 'true', 'a launch member on an empty claim starts with RAFT_JOIN=true');
  t.same(cluster.nodes, ['raft-0', 'raft-1', 'raft-2']);
  t.equal(statefulSet.podUid('raft-0'), podBefore, 'the other pods are untouched');
  await cluster.removeNode('raft-0');
  const claim = statefulSet.claimUid('raft-0');
  await cluster.launchJoining('raft-0');
  t.not(statefulSet.claimUid('raft-0'), claim, 'relaunching a parked pod gives it another empty claim');
  t.same(cluster.nodes, ['raft-1', 'raft-2', 'raft-0']);
  const dir = await mkdtemp(join(tmpdir(), 'raft-chaos-kind-logs-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await cluster.collectLogs(dir);
  const log = await readFile(join(dir, 'raft-0.log'), 'utf8');
  t.match(log, /output of raft-0 \(pod-\d+\)\n--- removed, launched again to join ---\noutput of raft-0/, 'its log holds the output before the removal, then after the relaunch');
});

t.test('a pod launched to join that reports a configuration is refused (an outdated membership file)', async (t) => {
  const { cluster } = await setUp(t, { staleMembers: true });
  await t.rejects(cluster.launchJoining('raft-3'), /raft-3 was launched to join but started in configuration raft-0,raft-1,raft-2: it read an outdated raft-membership file/);
});

t.test('names outside the launch pods and spares are refused with the reason', async (t) => {
  const { cluster, calls } = await setUp(t);
  await t.rejects(cluster.launchJoining('raft-7'), /raft-7 is neither a launch pod nor a spare of run r \(raft-0, raft-1, raft-2, raft-3, raft-4\)/);
  await t.rejects(cluster.launchJoining('raft-0'), /cannot launch raft-0 to join: it is a live node already/);
  t.same(calls(), [], 'nothing was called');
});
