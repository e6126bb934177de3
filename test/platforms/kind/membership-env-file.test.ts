// The kind pods' start-up, run for real in Docker: the server image started with the command
// the StatefulSet gets (node --env-file=<mount>/$(RAFT_ID).env, with $(RAFT_ID) expanded as the
// kubelet does) and a membership file as the harness writes it, bind-mounted where the ConfigMap
// would be. A launch pod starts as a voter of RAFT_MEMBERS; a pod whose file says RAFT_JOIN=true
// waits in no configuration. Only the kubelet's expansion and the ConfigMap mount are not real.
// Needs dist/raft/server/main.js (npm run build) and a Docker daemon.

import t from 'tap';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject, V1StatefulSet } from '@kubernetes/client-node';
import { customizeManifests } from '../../../harness/platforms/kind/customize-manifests.js';
import { kindSettings } from '../../../harness/platforms/kind/kind-settings.js';
import { membershipFiles } from '../../../harness/platforms/kind/membership-files.js';
import { buildServerImage, referenceServerEntry } from '../../../harness/server-image/build-server-image.js';
import { connectDocker, dockerAnswers } from '../../../harness/shared/docker-client.js';
import { eventually, noDaemonMessage, requestStatus, uniqueRunId, waitForStatus } from '../docker/docker-test-support.js';

const docker = connectDocker();

/** The raft container's command after customizeManifests, with $(RAFT_ID) expanded for `pod`. */
function podCommand(pod: string): string[] {
  const statefulSet: KubernetesObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: kindSettings.statefulSetName },
    spec: { selector: {}, serviceName: 'raft', template: { spec: { containers: [{ name: kindSettings.containerName }] } } },
  } as V1StatefulSet;
  const configMap: KubernetesObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: kindSettings.membershipConfigMap } };
  const [customized] = customizeManifests([statefulSet, configMap], { replicas: 1, serverEnv: {}, image: 'x', runId: 'r' });
  const command = (customized as V1StatefulSet).spec!.template.spec!.containers[0]!.command!;
  return command.map((part) => part.replace('$(RAFT_ID)', pod));
}

async function startPod(t: { teardown(fn: () => unknown): void }, image: string, filesDir: string, pod: string): Promise<string> {
  const [file, ...args] = podCommand(pod);
  const container = await docker.createContainer({
    name: `${uniqueRunId('env-file')}-${pod}`,
    Image: image,
    Entrypoint: [file!],
    Cmd: args,
    Env: [`RAFT_ID=${pod}`, 'RAFT_LISTEN=0.0.0.0:7000', 'RAFT_DATA_DIR=/data'],
    Labels: { 'app.kubernetes.io/part-of': 'raft-chaos' },
    ExposedPorts: { '7000/tcp': {} },
    HostConfig: {
      PortBindings: { '7000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
      Mounts: [{ Type: 'bind', Source: filesDir, Target: kindSettings.membershipMountPath, ReadOnly: true }],
      Tmpfs: { '/data': 'uid=10001' },
      ReadonlyRootfs: true,
    },
  });
  t.teardown(() => container.remove({ force: true }));
  await container.start();
  const info = await container.inspect();
  return `127.0.0.1:${info.NetworkSettings.Ports['7000/tcp']![0]!.HostPort}`;
}

if (!(await dockerAnswers(docker))) {
  t.plan(0, noDaemonMessage());
} else if (!existsSync(referenceServerEntry())) {
  t.plan(0, `${referenceServerEntry()} is not built: build the reference server (npm run build) to run this test`);
} else {
  const image = (await buildServerImage({ docker })).tag;
  const filesDir = await mkdtemp(join(tmpdir(), 'raft-chaos-membership-files-'));
  t.teardown(() => rm(filesDir, { recursive: true, force: true }));
  await chmod(filesDir, 0o755);
  const files = membershipFiles({ peers: ['raft-0', 'raft-1'], launchMembers: ['raft-0'], joining: new Set(['raft-1']) });
  for (const [name, text] of Object.entries(files)) await writeFile(join(filesDir, name), text, { mode: 0o644 });

  t.test('a launch pod reads its file: RAFT_MEMBERS makes it the only voter, and it leads', async (t) => {
    const address = await startPod(t, image, filesDir, 'raft-0');
    const status = await waitForStatus(address, 30_000);
    t.equal(status.node, 'raft-0');
    t.same(status.members, [{ id: 'raft-0', address: 'raft-0.raft.raft-chaos.svc.cluster.local:7001', role: 'voter' }], 'RAFT_PEERS and RAFT_MEMBERS came from the file');
    const role = await eventually('raft-0 to lead its one-voter configuration', 30_000, async () => {
      const answer = await requestStatus(address, 2000).catch(() => undefined);
      return answer?.role === 'leader' ? answer.role : undefined;
    });
    t.equal(role, 'leader', 'the spare raft-1 does not count in its majority');
  });

  t.test('a pod whose file says RAFT_JOIN=true waits in no configuration', async (t) => {
    const address = await startPod(t, image, filesDir, 'raft-1');
    const status = await waitForStatus(address, 30_000);
    t.equal(status.node, 'raft-1');
    t.same(status.members, [], 'not a member of anything until add-member');
    t.equal(status.term, 0, 'it never stood for election');
  });
}
