// What a system's image holds besides its binary: files under the named paths at the same path,
// a link inside them kept as a link, a link out of them copied as its target, a dangling link and
// excluded paths left out, and the libraries ldd lists for a run-time loaded shared object; and
// the tar that puts a node's config files into its container, owned by the image's user.

import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extract } from 'tar-stream';
import t from 'tap';
import { imageContentsFiles, isUnder } from '../../../harness/platforms/docker/image-contents-files.js';
import { launchFilesArchive } from '../../../harness/platforms/docker/launch-files-archive.js';
import { serverUserId } from '../../../harness/server-image/image-context.js';

t.test('isUnder is a path prefix test on whole components', async (t) => {
  t.ok(isUnder('/usr/share/java/a.jar', ['/usr/share/java']));
  t.ok(isUnder('/usr/share/java', ['/usr/share/java/']));
  t.notOk(isUnder('/usr/share/javascript/a.js', ['/usr/share/java']));
});

t.test('files, links in and out, dangling links, exclusions and libraries', async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'raft-chaos-image-contents-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const included = path.join(root, 'included');
  const outside = path.join(root, 'outside');
  await mkdir(path.join(included, 'big'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(included, 'a-1.0.jar'), 'jar');
  await symlink('a-1.0.jar', path.join(included, 'a.jar'));
  await writeFile(path.join(outside, 'settings.cfg'), 'cfg');
  await symlink(path.join(outside, 'settings.cfg'), path.join(included, 'settings.cfg'));
  await symlink(path.join(root, 'nowhere'), path.join(included, 'dangling'));
  await writeFile(path.join(included, 'big', 'unused'), 'x');
  const files = await imageContentsFiles({ paths: [included], exclude: [path.join(included, 'big')], libraries: [process.execPath] });
  const byPath = new Map(files.map((file) => [file.imagePath, file]));
  t.same(byPath.get(path.join(included, 'a-1.0.jar')), { sourcePath: path.join(included, 'a-1.0.jar'), imagePath: path.join(included, 'a-1.0.jar') });
  t.same(byPath.get(path.join(included, 'a.jar'))?.linkTarget, 'a-1.0.jar', 'a link inside stays a link');
  t.same(byPath.get(path.join(included, 'settings.cfg')), { sourcePath: path.join(outside, 'settings.cfg'), imagePath: path.join(included, 'settings.cfg') }, 'a link out is copied as its target');
  t.notOk(byPath.has(path.join(included, 'dangling')), 'a dangling link is left out');
  t.notOk(byPath.has(path.join(included, 'big', 'unused')), 'excluded paths are left out');
  t.ok(files.some((file) => /libc\.so/.test(file.imagePath)), 'the libraries of the run-time loaded objects are in');
  await t.rejects(imageContentsFiles({ paths: [path.join(root, 'missing')] }), /is not on this machine/);
});

t.test('config files go into the data directory owned by the image user, never outside it', async (t) => {
  const archive = await launchFilesArchive({ 'zoo.cfg': 'tickTime=2000\n', myid: '2\n' });
  const entries: Array<{ name: string; uid?: number; mode?: number; text: string }> = [];
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk) => void chunks.push(chunk as Buffer));
    stream.on('end', () => {
      entries.push({ name: header.name, uid: header.uid, mode: header.mode, text: Buffer.concat(chunks).toString() });
      next();
    });
  });
  const finished = new Promise<void>((resolve) => reader.on('finish', () => resolve()));
  reader.end(archive);
  await finished;
  t.same(entries, [
    { name: 'myid', uid: serverUserId, mode: 0o644, text: '2\n' },
    { name: 'zoo.cfg', uid: serverUserId, mode: 0o644, text: 'tickTime=2000\n' },
  ]);
  await t.rejects(launchFilesArchive({ '../escape': 'x' }), /inside the data directory/);
});
