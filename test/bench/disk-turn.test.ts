import t from 'tap';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openDiskTurn } from '../../bench/disk-turn.js';

t.test('the disk turn writes its records over zero-filled files and removes them on close', async (t) => {
  const exitListeners = process.listenerCount('exit');
  const disk = openDiskTurn();
  t.equal(process.listenerCount('exit'), exitListeners + 1, 'the directory is removed at exit even without close');
  const files = readdirSync(disk.directory).sort();
  t.same(files, ['one.log', 'two-a.log', 'two-b.log']);
  for (const file of files) t.equal(statSync(join(disk.directory, file)).size, 4 * 1024 * 1024, `${file} is zero-filled ahead`);
  t.equal(await disk.writeOne(0, 2), true);
  t.equal(await disk.writeTwo(0, 3), true);
  const one = readFileSync(join(disk.directory, 'one.log'));
  t.equal(one.subarray(256, 384).toString(), 'x'.repeat(128), 'writeOne wrote the third record');
  t.equal(one.subarray(0, 256).every((byte) => byte === 0), true, 'and nothing before it');
  for (const file of ['two-a.log', 'two-b.log']) {
    t.equal(readFileSync(join(disk.directory, file)).subarray(384, 512).toString(), 'x'.repeat(128), `writeTwo wrote the fourth record in ${file}`);
  }
  t.equal(await disk.writeOne(0, 32768 + 1), true, 'a place past the end wraps around');
  t.equal(readFileSync(join(disk.directory, 'one.log')).subarray(128, 256).toString(), 'x'.repeat(128));
  const listenersBeforeClose = process.listenerCount('exit');
  disk.close();
  t.equal(existsSync(disk.directory), false, 'close removes the directory');
  t.equal(process.listenerCount('exit'), listenersBeforeClose - 1, 'and its exit hook');
});
