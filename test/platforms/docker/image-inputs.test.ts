// Pure pieces of the image and the containers: ldd output, the node environment, names, and
// the Docker log stream framing.

import t from 'tap';
import { demultiplexLog } from '../../../harness/platforms/docker/container-logs.js';
import { containerName, networkName, sanitizeDockerName, volumeName } from '../../../harness/platforms/docker/docker-names.js';
import { nodeEnvironment } from '../../../harness/platforms/docker/node-environment.js';
import { spareNodesProblem } from '../../../harness/platforms/docker/spare-nodes-problem.js';
import { parseLddOutput } from '../../../harness/server-image/parse-ldd-output.js';

t.test('parseLddOutput lists libraries and the loader, not the vDSO', async (t) => {
  const text = [
    '\tlinux-vdso.so.1 (0x00007ffd)',
    '\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f12)',
    '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f13)',
    '\t/lib64/ld-linux-x86-64.so.2 (0x00007f14)',
  ].join('\n');
  t.same(parseLddOutput(text, '/usr/bin/node'), ['/lib/x86_64-linux-gnu/libstdc++.so.6', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
});

t.test('parseLddOutput refuses a missing library, naming it', async (t) => {
  t.throws(() => parseLddOutput('\tlibfoo.so.1 => not found\n', '/usr/bin/node'), /ldd \/usr\/bin\/node: libfoo\.so\.1 => not found/);
});

t.test('nodeEnvironment sets the SPEC variables over serverEnv', async (t) => {
  const environment = nodeEnvironment('raft-1', ['raft-0', 'raft-1'], { RAFT_ELECTION_MS: '300', RAFT_ID: 'wrong' });
  t.same(environment, [
    'RAFT_ELECTION_MS=300',
    'RAFT_ID=raft-1',
    'RAFT_LISTEN=0.0.0.0:7000',
    'RAFT_PEERS=raft-0=raft-0:7001,raft-1=raft-1:7001',
    'RAFT_DATA_DIR=/data',
  ]);
});

t.test('nodeEnvironment names the launch voters and marks a joining node', async (t) => {
  const peers = ['raft-0', 'raft-1', 'raft-2'];
  const members = ['raft-0', 'raft-1'];
  t.same(nodeEnvironment('raft-0', peers, {}, { members }).slice(3), ['RAFT_DATA_DIR=/data', 'RAFT_MEMBERS=raft-0,raft-1']);
  t.same(nodeEnvironment('raft-2', peers, { RAFT_JOIN: 'false' }, { members, join: true }), [
    'RAFT_JOIN=true',
    'RAFT_ID=raft-2',
    'RAFT_LISTEN=0.0.0.0:7000',
    'RAFT_PEERS=raft-0=raft-0:7001,raft-1=raft-1:7001,raft-2=raft-2:7001',
    'RAFT_DATA_DIR=/data',
    'RAFT_MEMBERS=raft-0,raft-1',
  ], 'RAFT_JOIN=true wins over serverEnv');
});

t.test('spare nodes need the reference server and names of their own', async (t) => {
  t.equal(spareNodesProblem({ nodes: ['raft-0'], spareNodes: [] }, 'etcd'), undefined, 'no spares: no problem');
  t.equal(spareNodesProblem({ nodes: ['raft-0'], spareNodes: ['raft-1'] }, undefined), undefined);
  t.match(spareNodesProblem({ nodes: ['raft-0'], spareNodes: ['raft-1'] }, 'etcd'), /spare nodes raft-1 need the reference server .*system etcd cannot be grown on docker/);
  t.match(spareNodesProblem({ nodes: ['raft-0', 'raft-1'], spareNodes: ['raft-1', 'raft-2', 'raft-2'] }, undefined), /repeat raft-1, raft-2/);
});

t.test('names are prefixed with the run id and valid for Docker', async (t) => {
  t.equal(sanitizeDockerName('2026-11-22T04:33:41Z all'), '2026-11-22T04-33-41Z-all');
  t.equal(containerName('r1', 'raft-0'), 'raft-chaos-r1-raft-0');
  t.equal(volumeName('r1', 'raft-0'), 'raft-chaos-r1-raft-0-data');
  t.equal(networkName('r1'), 'raft-chaos-r1');
});

t.test("the log demultiplexer joins the frames of stdout and stderr, a long log's too; a TTY's plain bytes pass through", async (t) => {
  const frame = (stream: number, text: string) => {
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(Buffer.byteLength(text), 4);
    return Buffer.concat([header, Buffer.from(text)]);
  };
  t.equal(demultiplexLog(Buffer.concat([frame(1, '{"a":1}\n'), frame(2, 'oops\n'), frame(1, '{"b":2}\n')])).toString(), '{"a":1}\noops\n{"b":2}\n');
  t.equal(demultiplexLog(Buffer.from('plain tty text\n')).toString(), 'plain tty text\n');
  const lines = Array.from({ length: 100_000 }, (_, index) => `line ${index}\n`);
  t.equal(demultiplexLog(Buffer.concat(lines.map((line) => frame(1, line)))).toString(), lines.join(''), 'one frame per line, 100 000 of them');
});
